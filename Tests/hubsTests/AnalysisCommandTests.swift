import Foundation
import HubsTestSupport
import Testing

/// `hubs sensitivity` and `hubs whatif` on the shipped data, as the README shows them.
@Suite struct AnalysisCommandTests {
    @Test func sensitivityIsTheSameBytesWhateverTheThreads() throws {
        // Two processes (hash seeds differ), one and two threads: the same bytes.
        let one = try CLI.run(["sensitivity", "--samples", "120", "--seed", "1", "--threads", "1", "--sobol"])
        let two = try CLI.run(["sensitivity", "--samples", "120", "--seed", "1", "--threads", "2", "--sobol"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == two.stdout)
        for name in ["North Macedonia", "Kosovo", "Serbia"] { #expect(one.stdout.contains(name)) }
        #expect(one.stdout.contains("P(top 3)"))
        #expect(one.stdout.contains("Inputs that matter most for the ranking"))
        #expect(one.stdout.contains("aggregation of security (mean|max)"))
        let mcOne = try CLI.run(["sensitivity", "--samples", "120", "--seed", "1", "--threads", "1"])
        let mcTwo = try CLI.run(["sensitivity", "--samples", "120", "--seed", "1", "--threads", "2"])
        #expect(mcOne.stdout == mcTwo.stdout)
        #expect(mcOne.stdout.contains("not computed (pass --sobol"))
        let json = try CLI.run(["sensitivity", "--samples", "40", "--format", "json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(doc["schema"] as? String == "hubs.sensitivity/1")
        #expect((doc["candidates"] as? [Any])?.count == 8)
    }

    @Test func sensitivityRefusesAbsurdSampleCounts() throws {
        let zero = try CLI.run(["sensitivity", "--samples", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--samples must be from 2 to"))
        #expect(try CLI.run(["sensitivity", "--samples", "100000000"]).status == 64)
        let badGroup = try CLI.run(["sensitivity", "--samples", "100", "--aggregate", "securty=mean,max"])
        #expect(badGroup.status == 1)
        #expect(badGroup.stderr.contains("did you mean 'security'?"))
    }

    @Test func whatifKosovo() throws {
        let met = try CLI.run(["whatif", "kosovo", "--band", "moderate"])
        #expect(met.status == 0)
        #expect(met.stdout.contains("already met"))
        // ECHR without the Council of Europe is impossible (the policy's constraint echr_needs_coe):
        // never proposed, and the answer says what it left out.
        let low = try CLI.run(["whatif", "kosovo", "--band", "low"])
        #expect(low.status == 0, "\(low.stderr)")
        #expect(!low.stdout.contains("echr_party: false → true; cpi_2024"))
        #expect(low.stdout.contains("Unreachable with up to 2 changed facts"))
        #expect(low.stdout.contains("break constraint echr_needs_coe"))
        #expect(low.stdout.contains("Weight stability"))
        let rank1 = try CLI.run(["whatif", "kosovo", "--rank", "1", "--format", "json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(rank1.stdout.utf8)) as? [String: Any])
        let answers = try #require(doc["answers"] as? [[String: Any]])
        #expect(!answers.isEmpty)
        for a in answers {
            let changes = try #require(a["changes"] as? [[String: Any]])
            let echr = changes.contains { $0["fact"] as? String == "echr_party" && $0["to"] as? String == "true" }
            let coe = changes.contains { $0["fact"] as? String == "coe_member" && $0["to"] as? String == "true" }
            #expect(!echr || coe, "\(changes)")
        }
        #expect(answers.first?["exact"] as? Bool == true)
    }

    @Test func whatifFixAndOnly() throws {
        let only = try CLI.run(["whatif", "kosovo", "--rank", "1", "--only", "cpi_2024", "--only", "host_stance", "--format", "json"])
        #expect(only.status == 0, "\(only.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(only.stdout.utf8)) as? [String: Any])
        #expect(Set(doc["changeable"] as? [String] ?? []) == ["cpi_2024", "host_stance"])
        let fixed = try CLI.run(["whatif", "kosovo", "--rank", "1", "--fix", "host_stance", "--format", "json"])
        let doc2 = try #require(try JSONSerialization.jsonObject(with: Data(fixed.stdout.utf8)) as? [String: Any])
        let answers = try #require(doc2["answers"] as? [[String: Any]])
        for a in answers {
            let changes = try #require(a["changes"] as? [[String: Any]])
            #expect(!changes.contains { $0["fact"] as? String == "host_stance" })
        }
        let typo = try CLI.run(["whatif", "kosovo", "--rank", "1", "--fix", "cpi_2042"])
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("did you mean 'cpi_2024'?"))
    }

    @Test func whatifUnreachableAndBadGoals() throws {
        let rwanda = try CLI.run(["whatif", "rwanda", "--pass", "refoulement_found"])
        #expect(rwanda.status == 0)
        #expect(rwanda.stdout.contains("Unreachable"))
        #expect(rwanda.stdout.contains("refoulement_ruling"))
        #expect(try CLI.run(["whatif", "kosovo"]).status == 64)
        let typo = try CLI.run(["whatif", "kosovo", "--band", "lowest"])
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("did you mean 'low'?"))
    }
}

/// `hubs sensitivity --shard K/N --output FILE` and `--merge`, as a batch system would run them.
@Suite struct ShardCommandTests {
    @Test func shardsMadeByTheCLIMergeToTheSingleRunsBytes() throws {
        let dir = TempDir(prefix: "hubs-shards")
        let common = ["sensitivity", "--samples", "150", "--seed", "2", "--format", "json"]
        let single = try CLI.run(common)
        #expect(single.status == 0, "\(single.stderr)")
        var files: [String] = []
        for k in 1...3 {
            let file = dir.path("part\(k).shard")
            let r = try CLI.run(common + ["--shard", "\(k)/3", "--output", file])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("wrote shard \(k)/3"))
            files.append(file)
        }
        let merged = try CLI.run(common + ["--merge"] + files.reversed())
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == single.stdout)
        let incomplete = try CLI.run(common + ["--merge", files[0], files[2]])
        #expect(incomplete.status == 1)
        #expect(incomplete.stderr.contains("are in no shard"))
        let otherSeed = try CLI.run(["sensitivity", "--samples", "150", "--seed", "3", "--merge"] + files)
        #expect(otherSeed.status == 1)
        #expect(otherSeed.stderr.contains("\(files[0]): error: this shard belongs to another analysis"))
        // A pipe named as a shard is refused at once, not read (it could block forever).
        let fifo = dir.path("pipe.shard")
        #expect(mkfifo(fifo, 0o600) == 0)
        let pipe = try CLI.run(common + ["--merge", fifo], timeout: 20)
        #expect(pipe.status == 1)
        #expect(pipe.stderr.contains("\(fifo): error: not a regular file"), "\(pipe.stderr)")
        let unwritable = try CLI.run(common + ["--shard", "1/3", "--output", dir.path("missing/part.shard")])
        // Refused before any run, as a usage error naming the option.
        #expect(unwritable.status == 64)
        #expect(unwritable.stderr.contains("error: --output '\(dir.path("missing/part.shard"))': the folder"), "\(unwritable.stderr)")
        #expect(unwritable.stderr.contains("hint: create it first, or name a file in a folder that exists"))
        #expect(try CLI.run(common + ["--shard", "4/3", "--output", "x"]).status == 64)
        #expect(try CLI.run(common + ["--shard", "1/3"]).status == 64)
    }
}

/// What-if answers say by how much they meet the goal, and the clear ones come first.
@Suite struct WhatIfMarginTests {
    @Test func theClearAnswerComesFirstAndThinOnesSaySo() throws {
        let r = try CLI.run(["whatif", "kosovo", "--rank", "1", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let answers = try #require(doc["answers"] as? [[String: Any]])
        let first = try #require(answers.first)
        let facts = (first["changes"] as? [[String: Any]])?.compactMap { $0["fact"] as? String }.sorted()
        #expect(facts == ["coe_member", "echr_party"], "\(answers)")
        #expect(first["clear"] as? Bool == true)
        // North Macedonia's 33.74375 against Kosovo's 29.5 once it joins both.
        #expect(abs((first["margin"] as? Double ?? 0) - 4.24375) < 1e-9)
        for a in answers.dropFirst() where a["clear"] as? Bool == false {
            #expect((a["margin"] as? Double).map { $0 < 1 } ?? !(a["tied_with"] as? [Any] ?? []).isEmpty)
        }
        let text = try CLI.run(["whatif", "kosovo", "--rank", "1"])
        #expect(text.stdout.contains("4.24 points of risk to spare"))
        #expect(text.stdout.contains("a thin margin: 0.09 points of risk to spare"))
    }
}
