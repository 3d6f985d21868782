// vigil-cli: a small redis-cli for Vigil (and Redis) servers:
//   vigil-cli [-h host] [-p port] [options] [cmd [arg ...]]
// All logic lives in the CLI module.
import CLI
import Glibc

exit(runCLI(arguments: Array(CommandLine.arguments.dropFirst())))
