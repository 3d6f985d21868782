// vigil-drill: failover drills against a Vigil (or Redis) cluster:
//   vigil-drill SCENARIO [--attach] [--redis] [--json] [--svg PATH] [--down-after MS] [--dir DIR] [--bin DIR]
// All logic lives in the Drill module (see scripts/drill).
import Drill
import Foundation

exit(runDrill(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
