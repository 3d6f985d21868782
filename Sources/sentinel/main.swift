// sentinel: Vigil's failover monitor, started like redis-sentinel
//   sentinel /path/to/sentinel.conf [--directive value ...]
// and its operator verbs, sent to a running sentinel:
//   sentinel status|failover|ckquorum|reset … [-h host] [-p port] [--json]
import Glibc
import Sentinel
import SentinelCLI

let arguments = Array(CommandLine.arguments.dropFirst())
if let verb = arguments.first, isSentinelCLIVerb(verb) {
    exit(runSentinelCLI(arguments: arguments))
}
exit(SentinelMain.run(arguments: arguments))
