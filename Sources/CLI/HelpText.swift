// HelpText.swift — the texts vigil-cli prints for --help, --version and the
// prompt's `help`, worded after redis-cli's, listing only what vigil-cli
// supports.

/// vigil-cli's version.
public let cliVersion = "0.1.0"

/// `vigil-cli -v` output (one line).
public let versionLine = "vigil-cli \(cliVersion)\n"

/// `vigil-cli --help` output.
public let usageText = """
vigil-cli \(cliVersion)

Usage: vigil-cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: 6379).
  -a <password>      Password to use when connecting to the server.
                     You can also use the REDISCLI_AUTH environment
                     variable to pass this password more safely
                     (if both are used, this argument takes precedence).
  --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.
  --pass <password>  Alias of -a for consistency with the new --user option.
  -u <uri>           Server URI: redis://[[user]:password@]host[:port][/db].
  -r <repeat>        Execute specified command N times (negative: forever).
  -i <interval>      When -r is used, waits <interval> seconds per command.
                     It is possible to specify sub-second times like -i 0.1.
  -n <db>            Database number.
  -2                 Start session in RESP2 protocol mode.
  -3                 Start session in RESP3 protocol mode.
  -x                 Read last argument from STDIN.
  -d <delimiter>     Delimiter between response bulks for raw formatting (default: \\n).
  -D <delimiter>     Delimiter between responses for raw formatting (default: \\n).
  -e                 Return exit error code when command execution fails.
  --raw              Use raw formatting for replies (default when STDOUT is
                     not a tty).
  --no-raw           Force formatted output even when STDOUT is not a tty.
  --show-pushes <yn> Whether to print RESP3 PUSH messages.  Enabled by default when
                     STDOUT is a tty but can be overridden with --show-pushes no.
  --no-auth-warning  Don't show warning message when using password on command
                     line interface.
  --help             Output this help and exit.
  --version          Output version and exit.

Examples:
  cat /etc/passwd | vigil-cli -x set mypasswd
  vigil-cli get mypasswd
  vigil-cli -r 100 lpush mylist x
  vigil-cli -r 100 -i 1 info | grep used_memory_human:

When no command is given, vigil-cli starts in interactive mode, or reads
one command per line when STDIN is not a tty.
Type "help" in interactive mode for information on available commands.

"""

/// The prompt's `help` output.
public let interactiveHelpText = """
vigil-cli \(cliVersion)
Type a Redis command and its arguments, e.g. "set key value".
  "N command"         run the command N times
  "connect host port" connect to another server
  "clear"             clear the screen
  "quit" or "exit"    leave

"""
