using Csi.Providers.Aws.JmesPath;

namespace Csi.Providers.Aws.Tests.Unit;

/// <summary>
/// The evaluator as a table, in the style of the JMESPath compliance tests: an expression, the document, and the
/// expected result (as JSON) or error kind.
/// </summary>
public sealed class JmesPathEvaluatorTests
{
    private const string People = """
        {"people":[{"name":"a","age":30,"tags":["x","y"]},{"name":"b","age":25,"tags":["z"]},{"name":"c","age":35},{"age":40}],
         "owner":{"name":"o","email":"o@example.com"}}
        """;

    private const string Nested = """{"a":{"b":{"c":[[0,1],[2,[3,4]],5,null]}},"m":{"x":{"v":1},"y":{"v":2},"z":{"w":3}}}""";

    private static string Normalize(string json) => JmesValue.ToJson(JmesValue.ParseLiteral(json));

    private static string Run(string expression, string document) => JmesValue.ToJson(JmesExpression.Search(expression, document));

    public static TheoryData<string, string, string> Results => new()
    {
        // Identifiers, quoted and unquoted, and sub-expressions.
        { "foo", """{"foo":"bar"}""", "\"bar\"" },
        { "foo.bar.baz", """{"foo":{"bar":{"baz":"v"}}}""", "\"v\"" },
        { "foo.bar", """{"foo":"not an object"}""", "null" },
        { "missing.bar", """{"foo":1}""", "null" },
        { "\"with-dash\"", """{"with-dash":"d"}""", "\"d\"" },
        { "\"with space\".\"dot.ted\"", """{"with space":{"dot.ted":1}}""", "1" },
        { "\"\\u00e9\"", """{"é":"accent"}""", "\"accent\"" },
        { "\"\"", """{"":"empty key"}""", "\"empty key\"" },
        { "_under_score9", """{"_under_score9":true}""", "true" },
        { "foo", "[1,2]", "null" },
        { "foo", "\"str\"", "null" },
        { "a", """{"a":1,"a":2}""", "2" },

        // Index expressions and negative indices.
        { "[0]", "[\"first\",\"second\"]", "\"first\"" },
        { "[-1]", "[\"first\",\"second\"]", "\"second\"" },
        { "[-2]", "[\"first\",\"second\"]", "\"first\"" },
        { "[-3]", "[\"first\",\"second\"]", "null" },
        { "[2]", "[\"first\",\"second\"]", "null" },
        { "foo[1].bar", """{"foo":[{"bar":1},{"bar":2}]}""", "2" },
        { "foo[0][1]", """{"foo":[[1,2],[3]]}""", "2" },
        { "foo[0]", """{"foo":{"0":1}}""", "null" },

        // Slices, including negative steps and out-of-range bounds.
        { "[0:2]", "[0,1,2,3,4]", "[0,1]" },
        { "[1:]", "[0,1,2,3,4]", "[1,2,3,4]" },
        { "[:3]", "[0,1,2,3,4]", "[0,1,2]" },
        { "[::2]", "[0,1,2,3,4]", "[0,2,4]" },
        { "[::-1]", "[0,1,2,3,4]", "[4,3,2,1,0]" },
        { "[3:1:-1]", "[0,1,2,3,4]", "[3,2]" },
        { "[-2:]", "[0,1,2,3,4]", "[3,4]" },
        { "[:-2]", "[0,1,2,3,4]", "[0,1,2]" },
        { "[-1:-4:-2]", "[0,1,2,3,4]", "[4,2]" },
        { "[10:]", "[0,1,2,3,4]", "[]" },
        { "[-10:2]", "[0,1,2,3,4]", "[0,1]" },
        { "[10:-10:-1]", "[0,1,2,3,4]", "[4,3,2,1,0]" },
        { "[1:1]", "[0,1,2,3,4]", "[]" },
        { "[2:0]", "[0,1,2,3,4]", "[]" },
        { "[:]", "[0,1]", "[0,1]" },
        { "[0:1]", """{"a":1}""", "null" },
        { "[0:1]", "\"text\"", "null" },
        { "[1:3].a", """[{"a":1},{"a":2},{"b":3},{"a":4}]""", "[2]" },
        { "[::-1].a", """[{"a":1},{"a":2}]""", "[2,1]" },

        // List projections, stopping on null and dropping nulls.
        { "people[*].name", People, "[\"a\",\"b\",\"c\"]" },
        { "people[*].tags[0]", People, "[\"x\",\"z\"]" },
        { "people[*]", """{"people":[1,null,2]}""", "[1,2]" },
        { "people[*].name", """{"people":{"name":"not a list"}}""", "null" },
        { "people[*].name", "{}", "null" },
        { "[*][0]", "[[1,2],[3],[]]", "[1,3]" },
        { "people[*].tags[*]", People, "[[\"x\",\"y\"],[\"z\"]]" },
        { "people[*].tags | [0]", People, "[\"x\",\"y\"]" },
        { "people[*].name | [1]", People, "\"b\"" },
        { "people[*].name.foo", People, "[]" },
        { "people[*].{n: name}", """{"people":[{"name":"a"},{"x":1}]}""", "[{\"n\":\"a\"},{\"n\":null}]" },
        { "[*].[a, b]", """[{"a":1,"b":2},{"a":3}]""", "[[1,2],[3,null]]" },

        // Object (value) projections.
        { "m.*.v", Nested, "[1,2]" },
        { "*.v", """{"x":{"v":1},"y":{"v":2}}""", "[1,2]" },
        { "m.*", """{"m":[1,2]}""", "null" },
        { "m.*.v", """{"m":"s"}""", "null" },
        { "*", """{"a":1,"b":null}""", "[1]" },
        { "m.*.*", """{"m":{"x":{"a":1},"y":{"b":2}}}""", "[[1],[2]]" },

        // Flatten.
        { "[]", "[[0,1],[2,[3,4]],5]", "[0,1,2,[3,4],5]" },
        { "[][]", "[[0,1],[2,[3,4]],5]", "[0,1,2,3,4,5]" },
        { "a.b.c[]", Nested, "[0,1,2,[3,4],5]" },
        { "people[].tags[]", People, "[\"x\",\"y\",\"z\"]" },
        { "people[].name", People, "[\"a\",\"b\",\"c\"]" },
        { "foo[]", """{"foo":"not a list"}""", "null" },
        { "foo[]", "{}", "null" },
        { "[].a", """[[{"a":1}],{"a":2},[{"b":3}]]""", "[1,2]" },

        // Filters and comparators.
        { "people[?age > `30`].name", People, "[\"c\"]" },
        { "people[?age >= `30`].name", People, "[\"a\",\"c\"]" },
        { "people[?age < `30`].name", People, "[\"b\"]" },
        { "people[?age <= `30`].name", People, "[\"a\",\"b\"]" },
        { "people[?name == 'b'].age", People, "[25]" },
        { "people[?name != 'b'].age", People, "[30,35,40]" },
        { "people[?tags].name", People, "[\"a\",\"b\"]" },
        { "people[?!tags].age", People, "[35,40]" },
        { "people[?age > `26` && age < `36`].name", People, "[\"a\",\"c\"]" },
        { "people[?name == 'a' || age == `40`].age", People, "[30,40]" },
        { "people[?tags == ['z']].name", People, "[\"b\"]" },
        { "[?@ > `1`]", "[1,2,3]", "[2,3]" },
        { "[?a < b]", """[{"a":"x","b":"y"},{"a":1,"b":2},{"a":1,"b":"2"}]""", "[{\"a\":1,\"b\":2}]" },
        { "[?a == b]", """[{"a":1,"b":1.0},{"a":{"k":[1]},"b":{"k":[1]}},{"a":1,"b":"1"},{"a":null}]""", "[{\"a\":1,\"b\":1},{\"a\":{\"k\":[1]},\"b\":{\"k\":[1]}},{\"a\":null}]" },
        { "[?a].a", """[{"a":0},{"a":""},{"a":[]},{"a":{}},{"a":false},{"a":null},{"a":" "}]""", "[0,\" \"]" },
        { "foo[?a == `1`]", """{"foo":{"a":1}}""", "null" },
        { "[?a == `1`] | [0]", """[{"a":1,"n":"one"}]""", "{\"a\":1,\"n\":\"one\"}" },
        { "[?a == `1`][]", """[{"a":1}]""", "[{\"a\":1}]" },
        { "a.b.c[?@ == `5`]", Nested, "[5]" },

        // Comparisons that are not between numbers are null.
        { "`\"a\"` < `\"b\"`", "{}", "null" },
        { "`true` < `false`", "{}", "null" },
        { "`1` < `\"2\"`", "{}", "null" },
        { "`[1]` < `[2]`", "{}", "null" },
        { "missing < `1`", "{}", "null" },
        { "`1` < `2`", "{}", "true" },
        { "`2` <= `2`", "{}", "true" },
        { "`1` == `1.0`", "{}", "true" },
        { "`{\"a\":1,\"b\":2}` == `{\"b\":2,\"a\":1}`", "{}", "true" },
        { "`[1,2]` == `[2,1]`", "{}", "false" },
        { "`null` == missing", "{}", "true" },
        { "`\"1\"` != `1`", "{}", "true" },

        // Pipes.
        { "a | b", """{"a":{"b":"v"}}""", "\"v\"" },
        { "people[*].name | length(@)", People, "3" },
        { "people | [0] | name", People, "\"a\"" },
        { "a | missing | c", """{"a":{}}""", "null" },

        // Multi-select lists and hashes.
        { "[a, b]", """{"a":1,"b":2}""", "[1,2]" },
        { "[a, missing]", """{"a":1}""", "[1,null]" },
        { "{x: a, y: b.c}", """{"a":1,"b":{"c":2}}""", "{\"x\":1,\"y\":2}" },
        { "{\"quoted key\": a}", """{"a":1}""", "{\"quoted key\":1}" },
        { "missing.[a, b]", "{}", "null" },
        { "missing.{a: a}", "{}", "null" },
        { "a.[b, c]", """{"a":{"b":1,"c":2}}""", "[1,2]" },
        { "a.{b: b}", """{"a":{"b":1}}""", "{\"b\":1}" },
        { "[[a], {b: b}]", """{"a":1,"b":2}""", "[[1],{\"b\":2}]" },
        { "[a][0]", """{"a":1}""", "1" },

        // Literals.
        { "`\"text\"`", "{}", "\"text\"" },
        { "`[1, {\"a\": null}]`", "{}", "[1,{\"a\":null}]" },
        { "`true`", "{}", "true" },
        { "`-1.5e2`", "{}", "-150" },
        { "`\"back\\`tick\"`", "{}", "\"back`tick\"" },
        { "'raw'", "{}", "\"raw\"" },
        { "'it\\'s'", "{}", "\"it's\"" },
        { "'a\\nb'", "{}", "\"a\\\\nb\"" },
        { "''", "{}", "\"\"" },
        { "'`{}`'", "{}", "\"`{}`\"" },

        // Or, and, not.
        { "a || b", """{"a":"","b":"B"}""", "\"B\"" },
        { "a || b", """{"a":"A","b":"B"}""", "\"A\"" },
        { "missing || `[]`", "{}", "[]" },
        { "a && b", """{"a":"A","b":"B"}""", "\"B\"" },
        { "a && b", """{"a":[],"b":"B"}""", "[]" },
        { "missing && b", """{"b":"B"}""", "null" },
        { "!a", """{"a":0}""", "false" },
        { "!a", """{"a":{}}""", "true" },
        { "!missing", "{}", "true" },
        { "!!a", """{"a":"x"}""", "true" },
        { "a || b && c", """{"a":false,"b":true,"c":"C"}""", "\"C\"" },
        { "(a || b).c", """{"a":null,"b":{"c":1}}""", "1" },
        { "!(a == b)", """{"a":1,"b":2}""", "true" },

        // Current node.
        { "@", """{"a":1}""", "{\"a\":1}" },
        { "@.a", """{"a":1}""", "1" },
        { "[@, @]", "1", "[1,1]" },

        // Functions.
        { "abs(`-3.5`)", "{}", "3.5" },
        { "avg(@)", "[1,2,3,4]", "2.5" },
        { "avg(@)", "[]", "null" },
        { "ceil(`1.2`)", "{}", "2" },
        { "floor(`-1.2`)", "{}", "-2" },
        { "contains(@, 'b')", "[\"a\",\"b\"]", "true" },
        { "contains(@, `1`)", "[\"1\"]", "false" },
        { "contains(@, 'ell')", "\"hello\"", "true" },
        { "contains(@, `1`)", "\"1\"", "false" },
        { "contains(@, `{\"a\":1}`)", "[{\"a\":1}]", "true" },
        { "ends_with(@, 'lo')", "\"hello\"", "true" },
        { "starts_with(@, 'he')", "\"hello\"", "true" },
        { "starts_with(@, 'HE')", "\"hello\"", "false" },
        { "join(', ', @)", "[\"a\",\"b\",\"c\"]", "\"a, b, c\"" },
        { "join('', @)", "[]", "\"\"" },
        { "keys(@)", """{"a":1,"b":2}""", "[\"a\",\"b\"]" },
        { "values(@)", """{"a":1,"b":2}""", "[1,2]" },
        { "length(@)", "\"héllo\"", "5" },
        { "length(@)", "\"😀x\"", "2" },
        { "length(@)", "[1,2,3]", "3" },
        { "length(@)", """{"a":1}""", "1" },
        { "length(@)", "\"\"", "0" },
        { "map(&a, @)", """[{"a":1},{"b":2},{"a":3}]""", "[1,null,3]" },
        { "map(&[], @)", "[[1,[2]],[3]]", "[[1,2],[3]]" },
        { "max(@)", "[1,3,2]", "3" },
        { "max(@)", "[\"a\",\"c\",\"b\"]", "\"c\"" },
        { "max(@)", "[]", "null" },
        { "min(@)", "[1,3,-2]", "-2" },
        { "min(@)", "[\"b\",\"a\"]", "\"a\"" },
        { "max_by(people, &age).age", People, "40" },
        { "min_by(people, &age).name", People, "\"b\"" },
        { "max_by(@, &n)", "[]", "null" },
        { "max_by(@, &s).s", """[{"s":"b"},{"s":"c"},{"s":"a"}]""", "\"c\"" },
        { "merge(`{\"a\":1}`, `{\"b\":2}`, `{\"a\":3}`)", "{}", "{\"a\":3,\"b\":2}" },
        { "merge(@)", """{"a":1}""", "{\"a\":1}" },
        { "not_null(missing, `null`, 'x', 'y')", "{}", "\"x\"" },
        { "not_null(missing)", "{}", "null" },
        { "reverse(@)", "[1,2,3]", "[3,2,1]" },
        { "reverse(@)", "\"ab😀\"", "\"😀ba\"" },
        { "sort(@)", "[3,1,2]", "[1,2,3]" },
        { "sort(@)", "[\"b\",\"a\",\"B\"]", "[\"B\",\"a\",\"b\"]" },
        { "sort(@)", "[]", "[]" },
        { "sort_by(@, &a)[*].n", """[{"a":2,"n":"x"},{"a":1,"n":"y"},{"a":2,"n":"z"}]""", "[\"y\",\"x\",\"z\"]" },
        { "sort_by(@, &s)[*].s", """[{"s":"b"},{"s":"a"}]""", "[\"a\",\"b\"]" },
        { "sum(@)", "[1,2,3.5]", "6.5" },
        { "sum(@)", "[]", "0" },
        { "to_array(@)", "1", "[1]" },
        { "to_array(@)", "[1]", "[1]" },
        { "to_array(@)", "null", "[null]" },
        { "to_number(@)", "\"12.5\"", "12.5" },
        { "to_number(@)", "\"-1e3\"", "-1000" },
        { "to_number(@)", "\"abc\"", "null" },
        { "to_number(@)", "\" 1\"", "null" },
        { "to_number(@)", "\"1e400\"", "null" },
        { "to_number(@)", "true", "null" },
        { "to_number(@)", "7", "7" },
        { "to_string(@)", "\"s\"", "\"s\"" },
        { "to_string(@)", "1.5", "\"1.5\"" },
        { "to_string(@)", "100000000000000000000", "\"100000000000000000000\"" },
        { "to_string(@)", "1e21", "\"1e+21\"" },
        { "to_string(@)", "0.0000001", "\"1e-7\"" },
        { "to_string(@)", "0.000001", "\"0.000001\"" },
        { "to_string(@)", """{"b":[1,true,null],"a":"<&>"}""", "\"{\\\"a\\\":\\\"\\\\u003c\\\\u0026\\\\u003e\\\",\\\"b\\\":[1,true,null]}\"" },
        { "type(@)", "1", "\"number\"" },
        { "type(@)", "\"s\"", "\"string\"" },
        { "type(@)", "true", "\"boolean\"" },
        { "type(@)", "[]", "\"array\"" },
        { "type(@)", "{}", "\"object\"" },
        { "type(@)", "null", "\"null\"" },
        { "people[*].name | sort(@) | join('-', @)", People, "\"a-b-c\"" },
        { "length(people[?age > `28`])", People, "3" },
        { "missing[*].unknown_function(@)", "{}", "null" },
    };

    public static TheoryData<string, string, string> Errors => new()
    {
        // Syntax.
        { "", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a.", "{}", nameof(JmesPathErrorKind.Syntax) },
        { ".a", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a.[", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "&&", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a b", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a[", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a[0", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a[::1:]", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a[1 2]", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a = b", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "\"unterminated", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "'unterminated", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "`{bad json}`", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "`unquoted`", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "\"a\"(@)", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "{a: b", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "{1: b}", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "[a, ]", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "length(@,)", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a.1", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "1", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a#", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a[?b", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "(a", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "a.'raw'", "{}", nameof(JmesPathErrorKind.Syntax) },
        { "[99999999999]", "{}", nameof(JmesPathErrorKind.Syntax) },

        // Unknown function, arity, types and values.
        { "nope(@)", "{}", nameof(JmesPathErrorKind.UnknownFunction) },
        { "length(@, @)", "{}", nameof(JmesPathErrorKind.InvalidArity) },
        { "length()", "{}", nameof(JmesPathErrorKind.InvalidArity) },
        { "merge()", "{}", nameof(JmesPathErrorKind.InvalidArity) },
        { "not_null()", "{}", nameof(JmesPathErrorKind.InvalidArity) },
        { "length(@)", "1", nameof(JmesPathErrorKind.InvalidType) },
        { "length(@)", "null", nameof(JmesPathErrorKind.InvalidType) },
        { "abs(@)", "\"1\"", nameof(JmesPathErrorKind.InvalidType) },
        { "avg(@)", "[1,\"2\"]", nameof(JmesPathErrorKind.InvalidType) },
        { "sum(@)", "[true]", nameof(JmesPathErrorKind.InvalidType) },
        { "max(@)", "[1,\"a\"]", nameof(JmesPathErrorKind.InvalidType) },
        { "sort(@)", "[[1]]", nameof(JmesPathErrorKind.InvalidType) },
        { "join(',', @)", "[1]", nameof(JmesPathErrorKind.InvalidType) },
        { "join(`1`, @)", "[\"a\"]", nameof(JmesPathErrorKind.InvalidType) },
        { "keys(@)", "[]", nameof(JmesPathErrorKind.InvalidType) },
        { "values(@)", "\"s\"", nameof(JmesPathErrorKind.InvalidType) },
        { "starts_with(@, `1`)", "\"1\"", nameof(JmesPathErrorKind.InvalidType) },
        { "contains(`1`, @)", "1", nameof(JmesPathErrorKind.InvalidType) },
        { "map(a, @)", "[]", nameof(JmesPathErrorKind.InvalidType) },
        { "map(&a, @)", "{}", nameof(JmesPathErrorKind.InvalidType) },
        { "sort_by(@, &a)", """[{"a":1},{"a":"b"}]""", nameof(JmesPathErrorKind.InvalidType) },
        { "sort_by(@, &a)", """[{"a":true}]""", nameof(JmesPathErrorKind.InvalidType) },
        { "max_by(@, &a)", """[{"a":1},{}]""", nameof(JmesPathErrorKind.InvalidType) },
        { "min_by(@, a)", "[]", nameof(JmesPathErrorKind.InvalidType) },
        { "merge(@, `1`)", "{}", nameof(JmesPathErrorKind.InvalidType) },
        { "to_string(&a)", "{}", nameof(JmesPathErrorKind.InvalidType) },
        { "reverse(@)", "{}", nameof(JmesPathErrorKind.InvalidType) },
        { "[*].length(@)", "[\"a\",1]", nameof(JmesPathErrorKind.InvalidType) },
        { "[::0]", "[1]", nameof(JmesPathErrorKind.InvalidValue) },
    };

    [Theory]
    [MemberData(nameof(Results))]
    public void Expressions_GiveTheExpectedResult(string expression, string document, string expected)
    {
        Assert.Equal(Normalize(expected), Run(expression, document));
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void BadExpressions_AndBadArguments_AreErrorsOfTheirKind(string expression, string document, string kind)
    {
        var e = Assert.Throws<JmesPathError>(() => JmesExpression.Search(expression, document));
        Assert.Equal(kind, e.Kind.ToString());
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [InlineData("a.", 2)]
    [InlineData("foo[?bar ==]", 11)]
    [InlineData("a #", 2)]
    [InlineData("{a: b", 5)]
    public void SyntaxErrors_NameTheirPosition(string expression, int position)
    {
        var e = Assert.Throws<JmesPathError>(() => JmesExpression.Compile(expression));
        Assert.Equal(position, e.Position);
        Assert.Contains($"position {position}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_NeverQuoteTheDocument()
    {
        const string secret = "hunter2-secret";
        var document = $$$"""{"s":"{{{secret}}}","l":["{{{secret}}}"],"o":{"k":"{{{secret}}}"}}""";
        foreach (var expression in new[] { "abs(s)", "sum(l)", "keys(s)", "sort_by(l, &to_number(@))", "length(@, s)", "s(@)", "join(s, l[0])" })
        {
            var e = Assert.Throws<JmesPathError>(() => JmesExpression.Search(expression, document));
            Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Functions_ThatAreNeverReached_AreNotErrors_ButASubExpressionOnNullStillCallsThem()
    {
        Assert.Null(JmesExpression.Search("missing[*].nope(@)", "{}"));
        Assert.Equal(JmesPathErrorKind.UnknownFunction, Assert.Throws<JmesPathError>(() => JmesExpression.Search("missing.nope(@)", "{}")).Kind);
        Assert.Equal("\"null\"", Run("missing.to_string(@)", "{}"));
        Assert.Equal("[]", Run("[*].nope(@)", "[]"));
    }

    [Fact]
    public void DeepDocuments_AreRead_AndTooDeepExpressionsFailCleanly()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 1000)) + "\"x\"" + string.Concat(Enumerable.Repeat("]", 1000));
        Assert.Equal("\"x\"", Run(string.Concat(Enumerable.Repeat("[0]", 1000)), deep));
        var nested = string.Concat(Enumerable.Repeat("(", 100_000)) + "a" + string.Concat(Enumerable.Repeat(")", 100_000));
        Assert.Equal(JmesPathErrorKind.Syntax, Assert.Throws<JmesPathError>(() => JmesExpression.Compile(nested)).Kind);
    }
}
