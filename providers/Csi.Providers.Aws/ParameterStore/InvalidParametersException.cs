using System.Net;
using Amazon.Runtime;

namespace Csi.Providers.Aws.ParameterStore;

/// <summary>SSM answered GetParameters with InvalidParameters: names it does not have (or versions/labels it lacks).</summary>
internal sealed class InvalidParametersException : AmazonServiceException
{
    public InvalidParametersException()
    {
        Names = [];
    }

    public InvalidParametersException(string message)
        : base(message)
    {
        Names = [];
    }

    public InvalidParametersException(string message, Exception innerException)
        : base(message, innerException)
    {
        Names = [];
    }

    public InvalidParametersException(string region, IReadOnlyList<string> names)
        : base($"{region}: invalid parameters: {string.Join(", ", names)}", null, ErrorType.Sender, "InvalidParameters", null, HttpStatusCode.BadRequest)
    {
        Names = names;
    }

    public IReadOnlyList<string> Names { get; }
}
