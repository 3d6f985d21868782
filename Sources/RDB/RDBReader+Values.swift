// RDBReader value layer: decodes the value that follows a type byte and key,
// for every encoding Redis 7.0 can produce, into the neutral RDBValue.
// Returns nil for an empty collection (the caller skips the key, as Redis
// does). Compact encodings are read as one string blob and validated by the
// parsers in Ziplist/Listpack/Intset/Zipmap.swift before use.

extension RDBReader {
    /// The value of type `type` (whose type byte was at `at`) for `key`.
    mutating func readValue(type: UInt8, at: Int, key: [UInt8]) throws(RDBError) -> RDBValue? {
        switch type {
        case RDBFormat.typeString:
            return .string(try readString())

        case RDBFormat.typeList, RDBFormat.typeSet:
            let count = try readCount("element count")
            guard count > 0 else { return nil }
            var elements: [[UInt8]] = []
            elements.reserveCapacity(min(count, 4096))
            for _ in 0 ..< count { elements.append(try readString()) }
            return type == RDBFormat.typeList ? .list(elements) : .set(elements)

        case RDBFormat.typeHash:
            let count = try readCount("field count")
            guard count > 0 else { return nil }
            var pairs: [([UInt8], [UInt8])] = []
            pairs.reserveCapacity(min(count, 4096))
            for _ in 0 ..< count {
                let field = try readString()
                let value = try readString()
                pairs.append((field, value))
            }
            return .hash(pairs)

        case RDBFormat.typeZSet, RDBFormat.typeZSet2:
            let count = try readCount("member count")
            guard count > 0 else { return nil }
            var entries: [([UInt8], Double)] = []
            entries.reserveCapacity(min(count, 4096))
            for _ in 0 ..< count {
                let member = try readString()
                let scoreAt = bytesRead
                let score = type == RDBFormat.typeZSet2 ? try readBinaryDouble() : try readTextDouble()
                guard !score.isNaN else {
                    throw RDBError(.corrupt, offset: scoreAt, "Zset with NAN score detected (\(printableKey(key)))")
                }
                entries.append((member, score))
            }
            return .sortedSet(entries)

        case RDBFormat.typeModulePreGA, RDBFormat.typeModule2:
            throw RDBError(.unsupported, offset: at, "module keys are not supported (\(printableKey(key)))")

        case RDBFormat.typeStreamListpacks, RDBFormat.typeStreamListpacks2, RDBFormat.typeStreamListpacks3:
            throw RDBError(.unsupported, offset: at, "stream keys are not supported (\(printableKey(key)))")

        case RDBFormat.typeHashZipmap:
            let (blob, blobAt) = try readBlob()
            let pairs = try decode("Zipmap", blobAt, key) { () throws(BlobError) in try Zipmap.parse(blob) }
            guard !pairs.isEmpty else { return nil }
            return .hash(pairs.map { (Array(blob[$0.0]), Array(blob[$0.1])) })

        case RDBFormat.typeListZiplist:
            let (blob, blobAt) = try readBlob()
            let elements = try decode("Ziplist", blobAt, key) { () throws(BlobError) in try Ziplist.parse(blob) }
            guard !elements.isEmpty else { return nil }
            return .list(elements.map { $0.materialize(blob) })

        case RDBFormat.typeSetIntset:
            let (blob, blobAt) = try readBlob()
            let members = try decode("Intset", blobAt, key) { () throws(BlobError) in try Intset.parse(blob) }
            return .set(members.map { DecimalText.decimalBytes($0) })

        case RDBFormat.typeSetListpack:
            let (blob, blobAt) = try readBlob()
            let elements = try decode("Listpack", blobAt, key) { () throws(BlobError) in try Listpack.parse(blob) }
            guard !elements.isEmpty else { return nil }
            return .set(elements.map { $0.materialize(blob) })

        case RDBFormat.typeHashZiplist, RDBFormat.typeHashListpack:
            let name = type == RDBFormat.typeHashZiplist ? "Ziplist" : "Listpack"
            let (blob, blobAt) = try readBlob()
            let elements = try decode(name, blobAt, key) { () throws(BlobError) in
                type == RDBFormat.typeHashZiplist ? try Ziplist.parse(blob) : try Listpack.parse(blob)
            }
            guard !elements.isEmpty else { return nil }
            guard elements.count % 2 == 0 else {
                throw RDBError(.corrupt, offset: blobAt, "\(name) hash with an odd number of elements (\(printableKey(key)))")
            }
            var pairs: [([UInt8], [UInt8])] = []
            pairs.reserveCapacity(elements.count / 2)
            var i = 0
            while i < elements.count {
                pairs.append((elements[i].materialize(blob), elements[i + 1].materialize(blob)))
                i += 2
            }
            return .hash(pairs)

        case RDBFormat.typeZSetZiplist, RDBFormat.typeZSetListpack:
            let name = type == RDBFormat.typeZSetZiplist ? "Ziplist" : "Listpack"
            let (blob, blobAt) = try readBlob()
            let elements = try decode(name, blobAt, key) { () throws(BlobError) in
                type == RDBFormat.typeZSetZiplist ? try Ziplist.parse(blob) : try Listpack.parse(blob)
            }
            guard !elements.isEmpty else { return nil }
            guard elements.count % 2 == 0 else {
                throw RDBError(.corrupt, offset: blobAt, "\(name) sorted set with an odd number of elements (\(printableKey(key)))")
            }
            var entries: [([UInt8], Double)] = []
            entries.reserveCapacity(elements.count / 2)
            var i = 0
            while i < elements.count {
                guard let score = elements[i + 1].score(blob), !score.isNaN else {
                    throw RDBError(.corrupt, offset: blobAt, "\(name) sorted set with an invalid score (\(printableKey(key)))")
                }
                entries.append((elements[i].materialize(blob), score))
                i += 2
            }
            return .sortedSet(entries)

        case RDBFormat.typeListQuicklist, RDBFormat.typeListQuicklist2:
            let nodes = try readCount("quicklist node count")
            var elements: [[UInt8]] = []
            for _ in 0 ..< nodes {
                var container = RDBFormat.containerPacked
                if type == RDBFormat.typeListQuicklist2 {
                    let containerAt = bytesRead
                    container = try readLength("quicklist container")
                    guard container == RDBFormat.containerPlain || container == RDBFormat.containerPacked else {
                        throw RDBError(.corrupt, offset: containerAt, "Quicklist integrity check failed: unknown container \(container) (\(printableKey(key)))")
                    }
                }
                let (blob, blobAt) = try readBlob()
                if container == RDBFormat.containerPlain {
                    elements.append(blob)
                    continue
                }
                let node = try decode(type == RDBFormat.typeListQuicklist ? "Ziplist" : "Listpack", blobAt, key) { () throws(BlobError) in
                    type == RDBFormat.typeListQuicklist ? try Ziplist.parse(blob) : try Listpack.parse(blob)
                }
                // Empty nodes are skipped silently, as Redis does.
                for e in node { elements.append(e.materialize(blob)) }
            }
            guard !elements.isEmpty else { return nil }
            return .list(elements)

        default:
            throw RDBError(.corrupt, offset: at, "Unknown RDB type \(type)")
        }
    }

    /// A compact-encoding blob (a string) and the offset it started at.
    private mutating func readBlob() throws(RDBError) -> ([UInt8], Int) {
        let at = bytesRead
        return (try readString(), at)
    }

    /// Runs a blob parser, turning its error into an RDBError at `at`.
    private func decode<T>(_ name: String, _ at: Int, _ key: [UInt8], _ parse: () throws(BlobError) -> T) throws(RDBError) -> T {
        do {
            return try parse()
        } catch {
            throw RDBError(.corrupt, offset: at, "\(name) integrity check failed for \(printableKey(key)): \(error.reason) (byte \(error.position) of the blob)")
        }
    }
}
