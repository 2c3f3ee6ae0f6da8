using System.Text;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Aws.Tests;

/// <summary>Unsigned or hand-signed HTTP requests to the sandbox.</summary>
internal static class RawCalls
{
    private static readonly HttpClient Http = new();

    public static HttpRequestMessage JsonRequest(Uri endpoint, string target, string body, string path = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }

    public static async Task<(int Status, JsonObject Body)> SendJsonAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject());
    }

    public static async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
