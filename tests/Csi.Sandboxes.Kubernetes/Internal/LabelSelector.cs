using System.Globalization;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// A parsed label selector (<c>k8s.io/apimachinery/pkg/labels</c> syntax): <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>,
/// <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;1</c>, <c>k&lt;1</c>, joined by commas (AND).
/// </summary>
internal sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var parser = new Parser(text);
        return new LabelSelector(parser.ParseAll());
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            if (!r.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    private enum Operator
    {
        In,
        NotIn,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            switch (Op)
            {
                case Operator.In:
                    return has && Values.Contains(value!, StringComparer.Ordinal);
                case Operator.NotIn:
                    return !has || !Values.Contains(value!, StringComparer.Ordinal);
                case Operator.Exists:
                    return has;
                case Operator.DoesNotExist:
                    return !has;
                case Operator.GreaterThan:
                case Operator.LessThan:
                    if (!has || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual))
                    {
                        return false;
                    }

                    var bound = long.Parse(Values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    return Op == Operator.GreaterThan ? actual > bound : actual < bound;
                default:
                    return false;
            }
        }
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public List<Requirement> ParseAll()
        {
            var result = new List<Requirement>();
            while (true)
            {
                SkipSpace();
                if (_pos >= text.Length)
                {
                    if (result.Count > 0)
                    {
                        throw Error("found '', expected: identifier");
                    }

                    return result;
                }

                result.Add(ParseRequirement());
                SkipSpace();
                if (_pos >= text.Length)
                {
                    return result;
                }

                if (text[_pos] != ',')
                {
                    throw Error($"found '{Rest()}', expected: ',' or 'end of string'");
                }

                _pos++;
            }
        }

        private Requirement ParseRequirement()
        {
            SkipSpace();
            if (Peek('!') && !Peek("!="))
            {
                _pos++;
                var key = ReadIdentifier("identifier");
                ValidateKey(key);
                return new Requirement(key, Operator.DoesNotExist, []);
            }

            var name = ReadIdentifier("identifier");
            ValidateKey(name);
            SkipSpace();
            if (_pos >= text.Length || text[_pos] == ',')
            {
                return new Requirement(name, Operator.Exists, []);
            }

            if (Peek("==") || Peek("!=") || Peek('=') || Peek('>') || Peek('<'))
            {
                Operator op;
                if (Peek("=="))
                {
                    _pos += 2;
                    op = Operator.In;
                }
                else if (Peek("!="))
                {
                    _pos += 2;
                    op = Operator.NotIn;
                }
                else
                {
                    op = text[_pos] switch { '=' => Operator.In, '>' => Operator.GreaterThan, _ => Operator.LessThan };
                    _pos++;
                }

                SkipSpace();
                var value = _pos < text.Length && text[_pos] != ',' ? ReadIdentifier("identifier") : string.Empty;
                if (op is Operator.GreaterThan or Operator.LessThan)
                {
                    if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        throw Error($"for 'Gt', 'Lt' operators, the value must be an integer");
                    }
                }
                else
                {
                    ValidateValue(value);
                }

                return new Requirement(name, op, [value]);
            }

            var word = ReadIdentifier("'=', '!=', '==', 'in', notin'");
            Operator setOp = word switch
            {
                "in" => Operator.In,
                "notin" => Operator.NotIn,
                _ => throw Error($"found '{word}', expected: '=', '!=', '==', 'in', notin'"),
            };
            SkipSpace();
            if (!Peek('('))
            {
                throw Error($"found '{Rest()}', expected: '('");
            }

            _pos++;
            var values = new List<string>();
            while (true)
            {
                SkipSpace();
                if (Peek(')'))
                {
                    _pos++;
                    break;
                }

                var v = _pos < text.Length && text[_pos] is not (',' or ')') ? ReadIdentifier("identifier") : string.Empty;
                ValidateValue(v);
                values.Add(v);
                SkipSpace();
                if (Peek(','))
                {
                    _pos++;
                    continue;
                }

                if (Peek(')'))
                {
                    _pos++;
                    break;
                }

                throw Error($"found '{Rest()}', expected: ',', ')'");
            }

            if (values.Count == 0)
            {
                throw Error("for 'in', 'notin' operators, values set can't be empty");
            }

            return new Requirement(name, setOp, values);
        }

        private string ReadIdentifier(string expected)
        {
            var start = _pos;
            while (_pos < text.Length && !char.IsWhiteSpace(text[_pos]) && text[_pos] is not (',' or '(' or ')' or '=' or '!' or '<' or '>'))
            {
                _pos++;
            }

            if (_pos == start)
            {
                throw Error($"found '{Rest()}', expected: {expected}");
            }

            return text[start.._pos];
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private bool Peek(string s) => string.CompareOrdinal(text, _pos, s, 0, s.Length) == 0;

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private string Rest() => _pos < text.Length ? text[_pos].ToString() : string.Empty;

        private static void ValidateKey(string key)
        {
            if (!Names.IsQualifiedName(key))
            {
                throw Error($"key: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }
        }

        private static void ValidateValue(string value)
        {
            if (!Names.IsLabelValue(value))
            {
                throw Error($"values[0]: Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }
        }

        private static ApiException Error(string message) =>
            ApiException.BadRequest("unable to parse requirement: " + message);
    }
}
