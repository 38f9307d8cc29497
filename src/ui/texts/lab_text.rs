//! The lab's words, in English and 简体中文: the rules a run can break and what goes wrong
//! without each. What a search found is told from its result (the checker's invariant
//! and evidence); these sentences say why the rule is there, for whichever run shows it.

use crate::raft::BrokenRule;
use crate::ui::lang::Lang;

/// The rule as Figure 2 states it, short.
pub fn rule_title(lang: Lang, rule: BrokenRule) -> &'static str {
    match rule {
        BrokenRule::VoteWithoutLogCheck => lang.pick(
            "Vote only for a candidate whose log is at least as up to date (§5.4.1)",
            "只投票给日志至少一样新的候选人（§5.4.1）",
        ),
        BrokenRule::CommitEarlierTerm => lang.pick(
            "Commit by counting replicas only entries of the leader's own term (§5.4.2, Figure 8)",
            "领导者只靠数副本提交自己任期的条目（§5.4.2，图 8）",
        ),
        BrokenRule::KeepRoleOnHigherTerm => lang.pick(
            "On a higher term, adopt it and step down to follower (§5.1)",
            "看到更高的任期就采用它并退为跟随者（§5.1）",
        ),
        BrokenRule::ForgetVoteOnRestart => lang.pick(
            "Keep votedFor on stable storage across a crash (Figure 2, persistent state)",
            "votedFor 要写入稳定存储，崩溃后不丢（图 2，持久状态）",
        ),
        BrokenRule::OverwriteWithoutTruncate => lang.pick(
            "On a conflict, delete the entry and all that follow it (AppendEntries, step 3)",
            "遇到冲突时删除该条目及其后的所有条目（AppendEntries 第 3 步）",
        ),
        BrokenRule::NoTimerResetOnVote => lang.pick(
            "Restart the election timer when granting a vote (Rules for followers)",
            "投出选票时重启选举计时器（跟随者规则）",
        ),
    }
}

/// What the node does with the rule broken.
pub fn rule_broken_means(lang: Lang, rule: BrokenRule) -> &'static str {
    match rule {
        BrokenRule::VoteWithoutLogCheck => lang.pick(
            "Broken: a server votes for any candidate that asks first in a term, whatever its log.",
            "违反后：服务器在一个任期里投给先来请求的候选人，不管它的日志如何。",
        ),
        BrokenRule::CommitEarlierTerm => lang.pick(
            "Broken: a leader commits an entry of an earlier term as soon as a majority holds it.",
            "违反后：只要多数派持有，领导者就提交更早任期的条目。",
        ),
        BrokenRule::KeepRoleOnHigherTerm => lang.pick(
            "Broken: a leader adopts a higher term it hears of (other than from that term's leader) but stays leader.",
            "违反后：领导者采用听到的更高任期（不是来自该任期领导者的），却仍当领导者。",
        ),
        BrokenRule::ForgetVoteOnRestart => lang.pick(
            "Broken: votedFor is kept in memory only; a restarted server has not voted in its term.",
            "违反后：votedFor 只在内存里；重启后的服务器在当前任期里就像没投过票。",
        ),
        BrokenRule::OverwriteWithoutTruncate => lang.pick(
            "Broken: a follower replaces a conflicting entry in place and keeps the entries after it.",
            "违反后：跟随者原地替换冲突的条目，并保留它之后的条目。",
        ),
        BrokenRule::NoTimerResetOnVote => lang.pick(
            "Broken: a server that grants a vote keeps its timer running, so it may soon start an election of its own.",
            "违反后：投出选票的服务器不重启计时器，可能很快发起自己的选举。",
        ),
    }
}

/// Why the rule is there: what the found run shows, in plain words.
pub fn what_went_wrong(lang: Lang, rule: BrokenRule) -> &'static str {
    match rule {
        BrokenRule::VoteWithoutLogCheck => lang.pick(
            "A server whose log lacked a committed entry won votes from servers that had it, and became leader. A leader's log is the truth it hands to everyone: the committed entry is gone from it, and the leader can overwrite it on the others.",
            "一台日志里缺少已提交条目的服务器，从持有该条目的服务器那里拿到选票，成为了领导者。领导者的日志就是它要发给所有人的真相：已提交的条目从中消失了，领导者还会在其他服务器上覆盖它。",
        ),
        BrokenRule::CommitEarlierTerm => lang.pick(
            "A leader counted replicas of an entry from an earlier term and committed it. A server with an entry of a newer term at that index could still win an election (its log is more up to date) and replace the committed entry: exactly the paper's Figure 8.",
            "领导者数了更早任期条目的副本并提交了它。但在该位置持有更新任期条目的服务器仍能赢得选举（它的日志更新），并替换掉已提交的条目：这正是论文的图 8。",
        ),
        BrokenRule::KeepRoleOnHigherTerm => lang.pick(
            "A leader heard of a newer term and stayed leader in it, while another server was elected in that same term: two leaders in one term, each free to put different entries at the same index.",
            "领导者听到了更新的任期，却在那个任期里继续当领导者，而另一台服务器也在同一任期当选：一个任期两个领导者，各自可以在同一位置写入不同的条目。",
        ),
        BrokenRule::ForgetVoteOnRestart => lang.pick(
            "A server voted, crashed and restarted having forgotten its vote, then voted again in the same term for another candidate: two candidates each counted a majority, and the term has two leaders.",
            "一台服务器投票后崩溃，重启时忘了这张票，又在同一任期投给了另一个候选人：两个候选人都数到了多数票，这个任期有了两个领导者。",
        ),
        BrokenRule::OverwriteWithoutTruncate => lang.pick(
            "A follower kept entries from a deposed leader after a conflicting one it overwrote. Its log now matches the leader's at some index but not below: Log Matching no longer holds, and an election or a commit built on that log goes wrong.",
            "跟随者覆盖了一个冲突的条目，却保留了下台领导者留下的后续条目。它的日志在某个位置和领导者一致，下面却不一致：日志匹配性不再成立，建立在这份日志上的选举或提交都会出错。",
        ),
        BrokenRule::NoTimerResetOnVote => lang.pick(
            "Nothing unsafe: the checker never fires. The cost is liveness: a voter that does not restart its timer may time out right after voting and start a competing election, so clusters hold more elections before one leader settles.",
            "没有不安全的状态：检查器从不报警。代价是活性：投票后不重启计时器的服务器可能马上超时、发起竞争的选举，于是集群要经过更多次选举才能稳定出一个领导者。",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_told_in_both_languages() {
        for rule in BrokenRule::ALL {
            for f in [rule_title, rule_broken_means, what_went_wrong] {
                let (en, zh) = (f(Lang::En, rule), f(Lang::Zh, rule));
                assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{rule:?}");
                assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
            }
        }
        // The liveness rule says it is not about safety, in both languages.
        assert!(what_went_wrong(Lang::En, BrokenRule::NoTimerResetOnVote).contains("liveness"));
        assert!(what_went_wrong(Lang::Zh, BrokenRule::NoTimerResetOnVote).contains("活性"));
    }
}
