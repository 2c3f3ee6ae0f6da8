using System.Text;
using Csi.ProviderHost;

namespace Csi.Providers.Aws.Tests.Unit;

/// <summary>Random and mutated objects parameters: the parser either parses or fails with a clean InvalidArgument.</summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "- objectName: \"MySecret\"\n  objectType: \"secretsmanager\"\n  objectAlias: a\n  jmesPath:\n    - path: username\n      objectAlias: u\n",
        "- objectName: \"arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf\"\n  objectVersionLabel: AWSPREVIOUS\n  filePermission: \"0600\"\n",
        "- {objectName: /app/p, objectType: ssmparameter, objectVersion: 3, objectAlias: x, failoverObject: {objectName: /app/q, objectVersion: 3}}\n",
        "- objectName: a\n  objectType: secretsmanager\n- objectName: a\n  objectType: secretsmanager\n  objectAlias: b\n",
    ];

    private static readonly string[] Tokens =
    [
        "-", ":", " ", "\n", "  ", "{", "}", "[", "]", "\"", "'", "&a", "*a", "!!str", "!!int", "~", "null", "0644", "0x1F", "arn:", "arn:aws:ssm:us-east-1:1:parameter/x",
        "objectName", "objectType", "objectAlias", "jmesPath", "failoverObject", "path", "filePermission", "objectVersion", "objectVersionLabel",
        "secretsmanager", "ssmparameter", "ssm", "../", "/..", "..", "\t", "#", "|", ">", "%", "@", "`", "\u0000", "\u00e9", "?", ",", "---", "...",
    ];

    [Fact]
    public void RandomAndMutatedInput_ParsesOrFailsCleanly()
    {
        var random = new Random(20240601);
        var translations = new string?[] { null, "False", "-" };
        var regions = new[] { new[] { "us-east-1" }, new[] { "us-east-1", "us-west-2" } };
        for (var i = 0; i < 4000; i++)
        {
            var input = i % 3 == 0 ? RandomText(random) : Mutate(random, Seeds[random.Next(Seeds.Length)]);
            try
            {
                var parsed = SecretDescriptorParser.Parse(input, PathTranslation.Parse(translations[i % 3]), regions[i % 2]);
                foreach (var d in parsed)
                {
                    Assert.False(string.IsNullOrEmpty(d.ObjectName));
                    Assert.Null(Csi.Common.Files.FilePathRules.CheckPath(d.FileName));
                    Assert.All(d.JmesPath, j => Assert.Null(Csi.Common.Files.FilePathRules.CheckPath(j.FileName)));
                }
            }
            catch (ProviderException e)
            {
                Assert.Equal(ProviderErrorKind.InvalidArgument, e.Kind);
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        var length = random.Next(1, 40);
        for (var i = 0; i < length; i++)
        {
            text.Append(Tokens[random.Next(Tokens.Length)]);
        }
        return text.ToString();
    }

    private static string Mutate(Random random, string seed)
    {
        var text = new StringBuilder(seed);
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits && text.Length > 0; i++)
        {
            var at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 2:
                    text[at] = (char)random.Next(1, 0x300);
                    break;
                default:
                    var from = random.Next(text.Length);
                    var length = Math.Min(random.Next(1, 20), text.Length - from);
                    text.Insert(at, text.ToString(from, length));
                    break;
            }
        }
        return text.ToString();
    }
}
