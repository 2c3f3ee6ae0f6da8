namespace Csictl;

/// <summary>The command line is wrong: exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message, CommandSpec? command)
        : base(message)
    {
        Command = command;
    }

    public CommandSpec? Command { get; }
}
