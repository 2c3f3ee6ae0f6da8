using System.Globalization;
using System.Text.Json;

namespace Csi.Providers.Aws.JmesPath;

internal enum TokenKind
{
    Eof,
    UnquotedIdentifier,
    QuotedIdentifier,
    Number,
    Literal,
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Not,
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    Current,
    Expref,
}

/// <summary>One token: its kind, its text (names, numbers) or value (literals), and where it starts.</summary>
internal readonly record struct Token(TokenKind Kind, int Position, string Text = "", object? Value = null);

/// <summary>Splits an expression into tokens; a character that starts no token is a syntax error at its position.</summary>
internal static class JmesLexer
{
    public static List<Token> Tokenize(string expression)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            var start = i;
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                i++;
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.UnquotedIdentifier, start, expression[start..i]));
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                i++;
                while (i < expression.Length && char.IsAsciiDigit(expression[i]))
                {
                    i++;
                }
                if (!int.TryParse(expression.AsSpan(start, i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    throw new JmesPathError(JmesPathErrorKind.Syntax, "Number out of range", start);
                }
                tokens.Add(new Token(TokenKind.Number, start, expression[start..i], number));
                continue;
            }
            switch (c)
            {
                case '"':
                    tokens.Add(new Token(TokenKind.QuotedIdentifier, start, QuotedIdentifier(expression, ref i)));
                    continue;
                case '\'':
                    tokens.Add(new Token(TokenKind.Literal, start, Value: RawString(expression, ref i)));
                    continue;
                case '`':
                    tokens.Add(new Token(TokenKind.Literal, start, Value: JsonLiteral(expression, ref i)));
                    continue;
                case '[':
                    i++;
                    if (i < expression.Length && expression[i] == ']')
                    {
                        i++;
                        tokens.Add(new Token(TokenKind.Flatten, start));
                    }
                    else if (i < expression.Length && expression[i] == '?')
                    {
                        i++;
                        tokens.Add(new Token(TokenKind.Filter, start));
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.LBracket, start));
                    }
                    continue;
                case '|':
                    tokens.Add(Pair(expression, ref i, '|', TokenKind.Or, TokenKind.Pipe));
                    continue;
                case '&':
                    tokens.Add(Pair(expression, ref i, '&', TokenKind.And, TokenKind.Expref));
                    continue;
                case '!':
                    tokens.Add(Pair(expression, ref i, '=', TokenKind.Ne, TokenKind.Not));
                    continue;
                case '<':
                    tokens.Add(Pair(expression, ref i, '=', TokenKind.Lte, TokenKind.Lt));
                    continue;
                case '>':
                    tokens.Add(Pair(expression, ref i, '=', TokenKind.Gte, TokenKind.Gt));
                    continue;
                case '=':
                    if (i + 1 < expression.Length && expression[i + 1] == '=')
                    {
                        i += 2;
                        tokens.Add(new Token(TokenKind.Eq, start));
                        continue;
                    }
                    throw new JmesPathError(JmesPathErrorKind.Syntax, "Expected '==', got '='", start);
                default:
                    break;
            }
            var single = c switch
            {
                '.' => TokenKind.Dot,
                '*' => TokenKind.Star,
                ']' => TokenKind.RBracket,
                '{' => TokenKind.LBrace,
                '}' => TokenKind.RBrace,
                '(' => TokenKind.LParen,
                ')' => TokenKind.RParen,
                ',' => TokenKind.Comma,
                ':' => TokenKind.Colon,
                '@' => TokenKind.Current,
                _ => throw new JmesPathError(JmesPathErrorKind.Syntax, $"Unexpected character U+{(int)c:X4}", start),
            };
            i++;
            tokens.Add(new Token(single, start));
        }
        tokens.Add(new Token(TokenKind.Eof, expression.Length));
        return tokens;
    }

    private static Token Pair(string expression, ref int i, char second, TokenKind two, TokenKind one)
    {
        var start = i;
        if (i + 1 < expression.Length && expression[i + 1] == second)
        {
            i += 2;
            return new Token(two, start);
        }
        i++;
        return new Token(one, start);
    }

    /// <summary>The text up to the closing <paramref name="quote"/>, a backslash keeping the next character in it.</summary>
    private static string Delimited(string expression, ref int i, char quote, string what)
    {
        var start = i;
        i++;
        while (i < expression.Length && expression[i] != quote)
        {
            i += expression[i] == '\\' && i + 1 < expression.Length ? 2 : 1;
        }
        if (i >= expression.Length)
        {
            throw new JmesPathError(JmesPathErrorKind.Syntax, $"Unterminated {what}", start);
        }
        i++;
        return expression[(start + 1)..(i - 1)];
    }

    /// <summary>A quoted identifier is a JSON string.</summary>
    private static string QuotedIdentifier(string expression, ref int i)
    {
        var start = i;
        var body = Delimited(expression, ref i, '"', "quoted identifier");
        try
        {
            return JmesValue.ParseLiteral("\"" + body + "\"") as string ?? throw new JsonException();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new JmesPathError(JmesPathErrorKind.Syntax, "Invalid quoted identifier", start);
        }
    }

    /// <summary>A raw string: <c>\'</c> is a quote, every other character (backslashes included) is itself, as in go-jmespath.</summary>
    private static string RawString(string expression, ref int i)
    {
        var body = Delimited(expression, ref i, '\'', "raw string literal");
        return body.Replace("\\'", "'", StringComparison.Ordinal);
    }

    /// <summary>A backtick literal: <c>\`</c> is a backtick, the rest is JSON.</summary>
    private static object? JsonLiteral(string expression, ref int i)
    {
        var start = i;
        var body = Delimited(expression, ref i, '`', "JSON literal");
        try
        {
            return JmesValue.ParseLiteral(body.Replace("\\`", "`", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new JmesPathError(JmesPathErrorKind.Syntax, "Invalid JSON literal", start);
        }
    }

    internal static string Describe(Token token) => token.Kind switch
    {
        TokenKind.Eof => "the end of the expression",
        TokenKind.UnquotedIdentifier or TokenKind.Number => $"'{token.Text}'",
        _ => token.Kind.ToString(),
    };
}
