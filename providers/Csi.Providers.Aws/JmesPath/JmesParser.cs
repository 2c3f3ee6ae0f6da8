namespace Csi.Providers.Aws.JmesPath;

/// <summary>
/// A top-down operator precedence parser for the JMESPath grammar: each token has a binding power, a prefix
/// rule (<see cref="Prefix"/>) and, for operators, an infix rule (<see cref="Infix"/>).
/// </summary>
internal sealed class JmesParser
{
    /// <summary>Tokens binding less than this end a projection's right side.</summary>
    private const int ProjectionStop = 10;

    private readonly List<Token> _tokens;
    private int _index;

    private JmesParser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    private Token Current => _tokens[_index];

    public static JmesNode Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parser = new JmesParser(JmesLexer.Tokenize(expression));
        if (parser.Current.Kind == TokenKind.Eof)
        {
            throw new JmesPathError(JmesPathErrorKind.Syntax, "Empty expression", 0);
        }
        var node = parser.Expression(0);
        if (parser.Current.Kind != TokenKind.Eof)
        {
            throw Unexpected(parser.Current);
        }
        return node;
    }

    private static int BindingPower(TokenKind kind) => kind switch
    {
        TokenKind.Pipe => 1,
        TokenKind.Or => 2,
        TokenKind.And => 3,
        TokenKind.Eq or TokenKind.Ne or TokenKind.Lt or TokenKind.Lte or TokenKind.Gt or TokenKind.Gte => 5,
        TokenKind.Flatten => 9,
        TokenKind.Star => 20,
        TokenKind.Filter => 21,
        TokenKind.Dot => 40,
        TokenKind.Not => 45,
        TokenKind.LBrace => 50,
        TokenKind.LBracket => 55,
        TokenKind.LParen => 60,
        _ => 0,
    };

    private static JmesPathError Unexpected(Token token) =>
        new(JmesPathErrorKind.Syntax, $"Unexpected token {JmesLexer.Describe(token)}", token.Position);

    private Token Advance() => _tokens[_index++];

    private TokenKind Peek(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)].Kind;

    private void Match(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            throw new JmesPathError(JmesPathErrorKind.Syntax, $"Expected {kind}, got {JmesLexer.Describe(Current)}", Current.Position);
        }
        _index++;
    }

    private JmesNode Expression(int rightBindingPower)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var left = Prefix(Advance());
        while (rightBindingPower < BindingPower(Current.Kind))
        {
            left = Infix(Advance(), left);
        }
        return left;
    }

    private JmesNode Prefix(Token token)
    {
        switch (token.Kind)
        {
            case TokenKind.Literal:
                return new LiteralNode(token.Value);
            case TokenKind.UnquotedIdentifier:
                return new FieldNode(token.Text);
            case TokenKind.QuotedIdentifier:
                if (Current.Kind == TokenKind.LParen)
                {
                    throw new JmesPathError(JmesPathErrorKind.Syntax, "A quoted identifier cannot name a function", Current.Position);
                }
                return new FieldNode(token.Text);
            case TokenKind.Current:
                return CurrentNode.Instance;
            case TokenKind.Star:
                return new ValueProjectionNode(CurrentNode.Instance,
                    Current.Kind == TokenKind.RBracket ? CurrentNode.Instance : ProjectionRight(BindingPower(TokenKind.Star)));
            case TokenKind.Filter:
                return Filter(CurrentNode.Instance);
            case TokenKind.Flatten:
                return new ListProjectionNode(new FlattenNode(CurrentNode.Instance), ProjectionRight(BindingPower(TokenKind.Flatten)));
            case TokenKind.LBrace:
                return MultiSelectHash();
            case TokenKind.LParen:
                var inner = Expression(0);
                Match(TokenKind.RParen);
                return inner;
            case TokenKind.Not:
                return new NotNode(Expression(BindingPower(TokenKind.Not)));
            case TokenKind.Expref:
                return new ExpressionReferenceNode(Expression(0));
            case TokenKind.LBracket:
                if (Current.Kind is TokenKind.Number or TokenKind.Colon)
                {
                    return ProjectIfSlice(CurrentNode.Instance, IndexOrSlice());
                }
                if (Current.Kind == TokenKind.Star && Peek(1) == TokenKind.RBracket)
                {
                    _index += 2;
                    return new ListProjectionNode(CurrentNode.Instance, ProjectionRight(BindingPower(TokenKind.Star)));
                }
                return MultiSelectList();
            default:
                throw Unexpected(token);
        }
    }

    private JmesNode Infix(Token token, JmesNode left)
    {
        switch (token.Kind)
        {
            case TokenKind.Dot:
                if (Current.Kind != TokenKind.Star)
                {
                    return new ChainNode(left, DotRight(BindingPower(TokenKind.Dot)), IsPipe: false);
                }
                _index++;
                return new ValueProjectionNode(left, ProjectionRight(BindingPower(TokenKind.Dot)));
            case TokenKind.Pipe:
                return new ChainNode(left, Expression(BindingPower(TokenKind.Pipe)), IsPipe: true);
            case TokenKind.Or:
                return new OrNode(left, Expression(BindingPower(TokenKind.Or)));
            case TokenKind.And:
                return new AndNode(left, Expression(BindingPower(TokenKind.And)));
            case TokenKind.Eq or TokenKind.Ne or TokenKind.Lt or TokenKind.Lte or TokenKind.Gt or TokenKind.Gte:
                var op = token.Kind switch
                {
                    TokenKind.Eq => Comparator.Eq,
                    TokenKind.Ne => Comparator.Ne,
                    TokenKind.Lt => Comparator.Lt,
                    TokenKind.Lte => Comparator.Lte,
                    TokenKind.Gt => Comparator.Gt,
                    _ => Comparator.Gte,
                };
                return new ComparatorNode(op, left, Expression(BindingPower(token.Kind)));
            case TokenKind.LParen:
                if (left is not FieldNode function)
                {
                    throw new JmesPathError(JmesPathErrorKind.Syntax, "Only a name can be called as a function", token.Position);
                }
                var arguments = new List<JmesNode>();
                while (Current.Kind != TokenKind.RParen)
                {
                    arguments.Add(Expression(0));
                    if (Current.Kind == TokenKind.Comma)
                    {
                        Match(TokenKind.Comma);
                        if (Current.Kind == TokenKind.RParen)
                        {
                            throw Unexpected(Current);
                        }
                    }
                    else if (Current.Kind != TokenKind.RParen)
                    {
                        throw Unexpected(Current);
                    }
                }
                Match(TokenKind.RParen);
                return new FunctionNode(function.Name, arguments);
            case TokenKind.Filter:
                return Filter(left);
            case TokenKind.Flatten:
                return new ListProjectionNode(new FlattenNode(left), ProjectionRight(BindingPower(TokenKind.Flatten)));
            case TokenKind.LBracket:
                if (Current.Kind is TokenKind.Number or TokenKind.Colon)
                {
                    return ProjectIfSlice(left, IndexOrSlice());
                }
                Match(TokenKind.Star);
                Match(TokenKind.RBracket);
                return new ListProjectionNode(left, ProjectionRight(BindingPower(TokenKind.Star)));
            default:
                throw Unexpected(token);
        }
    }

    /// <summary>After <c>[?</c>: the condition, <c>]</c>, then the projection's right side.</summary>
    private FilterProjectionNode Filter(JmesNode left)
    {
        var condition = Expression(0);
        Match(TokenKind.RBracket);
        var right = Current.Kind == TokenKind.Flatten ? CurrentNode.Instance : ProjectionRight(BindingPower(TokenKind.Filter));
        return new FilterProjectionNode(left, condition, right);
    }

    private JmesNode ProjectIfSlice(JmesNode left, JmesNode indexOrSlice)
    {
        var indexed = new ChainNode(left, indexOrSlice, IsPipe: false);
        return indexOrSlice is SliceNode ? new ListProjectionNode(indexed, ProjectionRight(BindingPower(TokenKind.Star))) : indexed;
    }

    /// <summary>After <c>[</c>, at a number or colon: <c>n]</c> or <c>start:stop:step]</c>.</summary>
    private JmesNode IndexOrSlice()
    {
        if (Current.Kind != TokenKind.Colon && Peek(1) != TokenKind.Colon)
        {
            var number = Current;
            Match(TokenKind.Number);
            Match(TokenKind.RBracket);
            return new IndexNode((int)number.Value!);
        }
        var parts = new int?[3];
        var part = 0;
        while (Current.Kind != TokenKind.RBracket)
        {
            if (Current.Kind == TokenKind.Colon)
            {
                part++;
                if (part == 3)
                {
                    throw Unexpected(Current);
                }
                _index++;
            }
            else if (Current.Kind == TokenKind.Number && parts[part] is null)
            {
                parts[part] = (int)Advance().Value!;
            }
            else
            {
                throw Unexpected(Current);
            }
        }
        Match(TokenKind.RBracket);
        return new SliceNode(parts[0], parts[1], parts[2]);
    }

    /// <summary>What a projection applies to each element: nothing (the element) when the next token ends it.</summary>
    private JmesNode ProjectionRight(int bindingPower)
    {
        if (BindingPower(Current.Kind) < ProjectionStop)
        {
            return CurrentNode.Instance;
        }
        switch (Current.Kind)
        {
            case TokenKind.LBracket or TokenKind.Filter:
                return Expression(bindingPower);
            case TokenKind.Dot:
                _index++;
                return DotRight(bindingPower);
            default:
                throw Unexpected(Current);
        }
    }

    /// <summary>After a dot: a name, <c>*</c>, a multi-select list or hash (or a function call on a name).</summary>
    private JmesNode DotRight(int bindingPower)
    {
        switch (Current.Kind)
        {
            case TokenKind.UnquotedIdentifier or TokenKind.QuotedIdentifier or TokenKind.Star:
                return Expression(bindingPower);
            case TokenKind.LBracket:
                _index++;
                return MultiSelectList();
            case TokenKind.LBrace:
                _index++;
                return MultiSelectHash();
            default:
                throw Unexpected(Current);
        }
    }

    private MultiSelectListNode MultiSelectList()
    {
        var items = new List<JmesNode>();
        while (true)
        {
            items.Add(Expression(0));
            if (Current.Kind == TokenKind.RBracket)
            {
                _index++;
                return new MultiSelectListNode(items);
            }
            Match(TokenKind.Comma);
        }
    }

    private MultiSelectHashNode MultiSelectHash()
    {
        var items = new List<KeyValuePair<string, JmesNode>>();
        while (true)
        {
            var key = Current;
            if (key.Kind is not (TokenKind.UnquotedIdentifier or TokenKind.QuotedIdentifier))
            {
                throw new JmesPathError(JmesPathErrorKind.Syntax, $"Expected a key name, got {JmesLexer.Describe(key)}", key.Position);
            }
            _index++;
            Match(TokenKind.Colon);
            items.Add(new(key.Text, Expression(0)));
            if (Current.Kind == TokenKind.RBrace)
            {
                _index++;
                return new MultiSelectHashNode(items);
            }
            Match(TokenKind.Comma);
        }
    }
}
