return IdContact.Cli.Cli.Run(args, Console.Out, Console.Error, Console.In);
