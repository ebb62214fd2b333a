// A token is read from standard input only when something is piped in; an interactive terminal would just wait.
return IdContact.Cli.Cli.Run(args, Console.Out, Console.Error, Console.IsInputRedirected ? Console.In : TextReader.Null);
