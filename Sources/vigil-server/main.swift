// vigil-server: the data node executable, started like redis-server:
//   vigil-server [/path/to/node.conf] [--directive value ...]
// With --sentinel it runs as a sentinel, as redis-server does.
import Glibc
import Config
import Node
import Sentinel

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--sentinel") {
    exit(SentinelMain.run(arguments: arguments))
}
exit(NodeMain.run(arguments: arguments))
