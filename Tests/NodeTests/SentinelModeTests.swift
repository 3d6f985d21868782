// Unit tests of the sentinel personality of Server: the restricted command
// table and its unknown-command text, commands registered from outside,
// publish() reaching channel and pattern subscribers in RESP2 and RESP3,
// INFO's sentinel sections, HELLO's sentinel shape, the shutdown hook and
// that a sentinel never saves. Commands run through dispatch on an
// in-process server with socketless clients, checking exact reply bytes.

import Testing
@testable import Node
import RESP
import Config
import EventLoop

@Suite struct SentinelModeTests {
    /// A sentinel-mode server and socketless clients whose replies are read from their buffers.
    final class Harness {
        let server: Server
        private var nextID = 1

        init(mode: ServerMode = .sentinel) throws {
            server = try Server(config: ConfigStore(mode: .sentinel), logger: Logger(path: "/dev/null", level: .nothing),
                                mode: mode)
        }

        func makeClient() -> Client {
            let client = Client(id: nextID, fd: -1, peer: Socket.PeerAddress(ip: "127.0.0.1", port: nextID),
                                localAddress: "", now: 0, authenticated: true, maxBulkLength: 512 << 20)
            nextID += 1
            server.clients[client.id] = client
            return client
        }

        /// Runs one command for `client` and returns its reply as text (CRLF kept).
        @discardableResult
        func call(_ client: Client, _ args: String...) -> String {
            client.reply.bytes.removeAll()
            server.execute(client, args: args.map { Array($0.utf8) })
            return String(decoding: client.reply.bytes, as: UTF8.self)
        }

        /// Takes what was queued for `client` outside its own commands.
        func drain(_ client: Client) -> String {
            defer { client.reply.bytes.removeAll() }
            return String(decoding: client.reply.bytes, as: UTF8.self)
        }
    }

    @Test func aSentinelConfigMakesASentinelServer() throws {
        let server = try Server(config: ConfigStore(mode: .sentinel), logger: Logger(path: "/dev/null", level: .nothing))
        #expect(server.mode == .sentinel)
        #expect(server.logger.roleMarker == "X")
        let node = try Server(config: ConfigStore(), logger: Logger(path: "/dev/null", level: .nothing))
        #expect(node.mode == .node)
        #expect(node.logger.roleMarker == "M")
    }

    @Test func theTableHoldsOnlyTheGenericSentinelCommands() throws {
        let h = try Harness()
        let names = Set(h.server.commandTable.specs.map(\.name))
        #expect(names == CommandTable.sentinelGenericCommands)
        let client = h.makeClient()
        #expect(h.call(client, "COMMAND", "COUNT") == ":\(names.count)\r\n")
    }

    @Test(arguments: [
        (["get", "x"], "-ERR unknown command 'get', with args beginning with: 'x' \r\n"),
        (["SET", "k", "v"], "-ERR unknown command 'SET', with args beginning with: 'k' 'v' \r\n"),
        (["info"], "-ERR unknown command 'info', with args beginning with: \r\n"),
        (["publish", "c", "m"], "-ERR unknown command 'publish', with args beginning with: 'c' 'm' \r\n"),
        (["config", "get", "port"], "-ERR unknown command 'config', with args beginning with: 'get' 'port' \r\n"),
    ])
    func dataCommandsAreUnknown(args: [String], expected: String) throws {
        let h = try Harness()
        let client = h.makeClient()
        client.reply.bytes.removeAll()
        h.server.execute(client, args: args.map { Array($0.utf8) })
        #expect(String(decoding: client.reply.bytes, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        (["ping"], "+PONG\r\n"),
        (["ping", "hi"], "$2\r\nhi\r\n"),
        (["client", "setname", "sentinel-1"], "+OK\r\n"),
        (["quit"], "+OK\r\n"),
        (["reset"], "+RESET\r\n"),
    ])
    func genericCommandsWork(args: [String], expected: String) throws {
        let h = try Harness()
        let client = h.makeClient()
        client.reply.bytes.removeAll()
        h.server.execute(client, args: args.map { Array($0.utf8) })
        #expect(String(decoding: client.reply.bytes, as: UTF8.self) == expected)
    }

    @Test func registeredCommandsAreDispatchedWithArityAndProtocol() throws {
        let h = try Harness()
        h.server.registerCommands([
            CommandSpec("role", arity: 1, flags: [.fast, .stale, .loading], categories: ["@fast"]) { ctx throws(CommandError) in
                RESPValue.array([.bulk(Array("sentinel".utf8)), .map([RESPPair(.bulk([0x61]), .integer(1))])])
                    .encode(to: &ctx.reply)
            },
        ])
        let client = h.makeClient()
        #expect(h.call(client, "ROLE") == "*2\r\n$8\r\nsentinel\r\n*2\r\n$1\r\na\r\n:1\r\n")
        #expect(h.call(client, "role", "x") == "-ERR wrong number of arguments for 'role' command\r\n")
        client.reply.protocolVersion = 3
        #expect(h.call(client, "role") == "*2\r\n$8\r\nsentinel\r\n%1\r\n$1\r\na\r\n:1\r\n")
    }

    @Test func publishReachesChannelAndPatternSubscribersInTheirProtocol() throws {
        let h = try Harness()
        let resp2 = h.makeClient(), resp3 = h.makeClient(), pattern = h.makeClient(), bystander = h.makeClient()
        resp3.reply.protocolVersion = 3
        h.call(resp2, "SUBSCRIBE", "__sentinel__:hello")
        h.call(resp3, "SUBSCRIBE", "__sentinel__:hello")
        h.call(pattern, "PSUBSCRIBE", "__sentinel__:*")
        for c in [resp2, resp3, pattern] { _ = h.drain(c) }

        let receivers = h.server.publish(channel: Array("__sentinel__:hello".utf8), message: Array("hi".utf8))
        #expect(receivers == 3)
        #expect(h.drain(resp2) == "*3\r\n$7\r\nmessage\r\n$18\r\n__sentinel__:hello\r\n$2\r\nhi\r\n")
        #expect(h.drain(resp3) == ">3\r\n$7\r\nmessage\r\n$18\r\n__sentinel__:hello\r\n$2\r\nhi\r\n")
        #expect(h.drain(pattern) == "*4\r\n$8\r\npmessage\r\n$14\r\n__sentinel__:*\r\n$18\r\n__sentinel__:hello\r\n$2\r\nhi\r\n")
        #expect(h.drain(bystander).isEmpty)
        #expect(h.server.pendingFlush.count == 3)
        #expect(h.server.publish(channel: Array("other".utf8), message: []) == 0)
    }

    @Test func infoRendersOnlyTheGenericSentinelSectionsInRedisOrder() throws {
        let h = try Harness()
        func headers(_ text: String) -> [String] {
            text.split(separator: "\r\n").filter { $0.hasPrefix("# ") }.map(String.init)
        }
        let all = ["# Server", "# Clients", "# Stats", "# CPU"]
        #expect(headers(h.server.infoSections([])) == all)
        #expect(headers(h.server.infoSections(["everything"])) == all)
        #expect(headers(h.server.infoSections(["ALL", "sentinel"])) == all)
        #expect(headers(h.server.infoSections(["cpu", "memory", "server"])) == ["# Server", "# CPU"])
        #expect(h.server.infoSections(["keyspace", "sentinel"]).isEmpty)
        #expect(h.server.infoSections(["server"]).contains("\r\nredis_mode:sentinel\r\n"))
    }

    @Test func aDataNodeStillRendersItsSectionsInRequestOrder() throws {
        let h = try Harness(mode: .node)
        let text = h.server.infoSections(["cpu", "server"])
        #expect(text.hasPrefix("# CPU\r\n"))
        #expect(text.contains("\r\n\r\n# Server\r\n"))
        #expect(text.contains("\r\nredis_mode:standalone\r\n"))
    }

    @Test func helloReportsSentinelModeWithoutARole() throws {
        let h = try Harness()
        let client = h.makeClient()
        let reply = h.call(client, "HELLO", "3")
        #expect(reply.hasPrefix("%6\r\n"))
        #expect(reply.contains("$4\r\nmode\r\n$8\r\nsentinel\r\n"))
        #expect(!reply.contains("role"))
    }

    @Test func shutdownCallsTheHookOnceAndNeverSaves() throws {
        let h = try Harness()
        var calls = 0
        h.server.beforeShutdown = { calls += 1 }
        #expect(h.server.prepareShutdown(save: true) == nil)
        #expect(h.server.persistence.saves == 0)
        let client = h.makeClient()
        h.call(client, "SHUTDOWN", "SAVE")
        #expect(h.server.isShuttingDown)
        #expect(h.server.persistence.saves == 0)
        h.server.shutdown()
        #expect(calls == 1)
    }
}
