using IdContact.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IdContact.Desk.Video;

/// <summary>Where a message goes: the configured SMTP server, or (demo without one) an .eml file.</summary>
public interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>Sends through MailKit to Desk:Mail; without a host (demo only) writes {data}/mail/*.eml.</summary>
public sealed class MailSender(IOptions<IdContactOptions> options) : IMailTransport
{
    private MailOptions Mail => options.Value.Desk().Mail;

    /// <summary>True when messages are written to files, not sent (the demo without SMTP).</summary>
    public bool WritesFiles => string.IsNullOrWhiteSpace(Mail.Host);

    public string MailDirectory => Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "mail"));

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        if (WritesFiles)
        {
            Directory.CreateDirectory(MailDirectory);
            var file = Path.Combine(MailDirectory, $"{DateTime.UtcNow:yyyyMMddHHmmss}-{Sessions.Secrets.NewId(6)}.eml");
            await message.WriteToAsync(file, ct);
            return;
        }

        using var client = new SmtpClient { Timeout = 20_000 };
        var security = Mail.UseTls ? SecureSocketOptions.SslOnConnect : Mail.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None;
        await client.ConnectAsync(Mail.Host!, Mail.Port, security, ct);
        if (!string.IsNullOrEmpty(Mail.UserName))
        {
            await client.AuthenticateAsync(Mail.UserName, Mail.Password ?? "", ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}
