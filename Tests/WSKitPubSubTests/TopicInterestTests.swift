import Testing
import WSKitPubSub

/// When the instance gains and loses interest in a topic (what it subscribes to at the broker):
/// a recovery in progress holds the topic, so the last member leaving does not drop the broker
/// subscription under it.
@Suite("Topic interest: members and recoveries in progress")
struct TopicInterestTests {
    static func member(_ id: String) -> TopicMember {
        TopicMember(clientId: id, frames: nil, connection: nil, mailbox: nil, data: { nil })
    }

    @Test("members alone: the first gains interest, the last loses it")
    func membersAlone() {
        var index = TopicIndex()
        let a = Self.member("a"), b = Self.member("b")
        let r1 = index.insert(a, into: "t")
        #expect(r1)
        let r2 = index.insert(b, into: "t")
        #expect(!r2)
        let r3 = index.remove(a, from: "t")
        #expect(r3 == false)
        let r4 = index.remove(b, from: "t")
        #expect(r4 == true)
    }

    @Test("a recovery holds the topic while its last member leaves; the interest goes with the last holder")
    func recoveryHoldsTheTopic() {
        var index = TopicIndex()
        let other = Self.member("other"), recovering = Self.member("recovering")
        let r5 = index.insert(other, into: "t")
        #expect(r5)
        let r6 = index.pin("t")
        #expect(!r6, "already subscribed: no new interest")
        let r7 = index.remove(other, from: "t")
        #expect(r7 == false, "the recovery still holds the topic")
        let r8 = index.insert(recovering, into: "t")
        #expect(!r8, "the join needs no new subscription")
        let r9 = index.unpin("t")
        #expect(!r9, "the joined member keeps the interest")
        let r10 = index.remove(recovering, from: "t")
        #expect(r10 == true)
    }

    @Test("a recovery on a topic with no member gains the interest and, if it gives up, loses it")
    func abandonedRecovery() {
        var index = TopicIndex()
        let r11 = index.pin("t")
        #expect(r11)
        let r12 = index.pin("t")
        #expect(!r12, "a second recovery shares it")
        let r13 = index.unpin("t")
        #expect(!r13)
        let r14 = index.unpin("t")
        #expect(r14)
        let r15 = index.unpin("t")
        #expect(!r15, "unbalanced release changes nothing")
    }
}
