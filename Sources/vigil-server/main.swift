// vigil-server: the data node executable, started like redis-server:
//   vigil-server [/path/to/node.conf] [--directive value ...]
import Glibc
import Config
import Node

exit(NodeMain.run(arguments: Array(CommandLine.arguments.dropFirst())))
