using Microsoft.AspNetCore.Http;

namespace IdContact.Hosting;

/// <summary>RFC 7807 answers with a title and one clear sentence.</summary>
public static class Problems
{
    public static IResult BadRequest(string title, string detail) => Make(StatusCodes.Status400BadRequest, title, detail);

    public static IResult NotFound(string title, string detail) => Make(StatusCodes.Status404NotFound, title, detail);

    public static IResult Conflict(string title, string detail) => Make(StatusCodes.Status409Conflict, title, detail);

    public static IResult UnsupportedMediaType(string detail) =>
        Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", detail);

    public static IResult PayloadTooLarge() =>
        Make(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is larger than {RequestText.MaxBytes} bytes.");

    public static IResult BadGateway(string title, string detail) => Make(StatusCodes.Status502BadGateway, title, detail);

    public static IResult GatewayTimeout(string title, string detail) => Make(StatusCodes.Status504GatewayTimeout, title, detail);

    public static IResult Make(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}
