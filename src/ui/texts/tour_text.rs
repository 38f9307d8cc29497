//! The tour's words, in English and 简体中文. A caption says what just happened and why,
//! in the paper's terms; the servers and terms it names are read from the step's
//! checkpoint, never written in by hand, so a caption cannot name the wrong server.

use crate::raft::{MS, Message, NodeId, Role, server_name};
use crate::sim::Sim;
use crate::sim::tour::{
    Answer, CHAPTERS, CUT_OFF, Invite, Question, SNAPSHOT_EVERY, SPLIT_CANDIDATES, candidates,
    catch_up_round, down_server, new_leader, newest_server, old_leader, quorum_lost,
    snapshot_follower, transfer_target, transfer_times,
};

use crate::ui::lang::Lang;

/// Each chapter's title.
pub fn chapter_title(lang: Lang, chapter: usize) -> &'static str {
    const TITLES: [(&str, &str); 16] = [
        ("What consensus is", "什么是共识"),
        ("Roles and terms", "角色与任期"),
        ("Leader election", "领导者选举"),
        ("Split vote", "选票瓜分"),
        ("Log replication", "日志复制"),
        ("Leader crash", "领导者宕机"),
        ("Network partition", "网络分区"),
        (
            "Commit only your own term (Figure 8)",
            "只提交自己任期的条目（图 8）",
        ),
        ("The disruptive server (PreVote)", "捣乱的服务器（PreVote）"),
        (
            "A leader in a minority (CheckQuorum)",
            "少数派中的领导者（CheckQuorum）",
        ),
        ("Stale reads (ReadIndex)", "过期读取（ReadIndex）"),
        ("Leadership transfer", "领导权移交"),
        ("Snapshots (log compaction)", "快照（日志压缩）"),
        ("Growing the cluster", "扩大集群"),
        ("Removing the leader", "移除领导者"),
        ("Free play", "自由探索"),
    ];
    TITLES
        .get(chapter)
        .map(|(en, zh)| lang.pick(*en, *zh))
        .unwrap_or("")
}

/// A server the checkpoint does not have (never expected; the tests look for it).
const UNKNOWN: &str = "S?";

/// What a reader needs to know about the checkpoint to tell its story.
struct Facts<'a> {
    sim: &'a Sim,
}

impl Facts<'_> {
    fn leader(&self) -> String {
        self.sim
            .leader()
            .map(server_name)
            .unwrap_or_else(|| UNKNOWN.into())
    }
    fn term(&self) -> u64 {
        self.sim
            .leader()
            .map(|l| self.sim.node(l).current_term)
            .unwrap_or_else(|| self.max_term())
    }
    fn max_term(&self) -> u64 {
        self.sim
            .servers()
            .iter()
            .map(|s| s.node.current_term)
            .max()
            .unwrap_or(0)
    }
    fn candidate(&self) -> String {
        candidates(self.sim)
            .into_iter()
            .max_by_key(|&c| self.sim.node(c).current_term)
            .map(server_name)
            .unwrap_or_else(|| UNKNOWN.into())
    }
    /// The first server other than the candidate whose vote reached it.
    fn first_voter(&self) -> String {
        candidates(self.sim)
            .into_iter()
            .flat_map(|c| {
                self.sim
                    .node(c)
                    .votes_granted
                    .iter()
                    .copied()
                    .filter(move |&v| v != c)
            })
            .next()
            .map(server_name)
            .unwrap_or_else(|| UNKNOWN.into())
    }
    fn candidate_votes(&self) -> usize {
        candidates(self.sim)
            .into_iter()
            .map(|c| self.sim.node(c).votes_granted.len())
            .max()
            .unwrap_or(0)
    }
    fn old(&self) -> String {
        old_leader(self.sim)
            .map(server_name)
            .unwrap_or_else(|_| UNKNOWN.into())
    }
    /// How many AppendEntries the old leader sent are still on the wire: drawn leaving it
    /// after it stepped down, as if it still led (only a leader sends them).
    fn old_appends_in_flight(&self) -> usize {
        old_leader(self.sim).map_or(0, |old| {
            self.sim
                .in_flight()
                .iter()
                .filter(|m| m.from == old && matches!(m.msg, Message::AppendEntries(_)))
                .count()
        })
    }
    /// The term the first (deposed) leader led.
    fn old_term(&self) -> u64 {
        self.sim
            .leaders_by_term()
            .keys()
            .next()
            .copied()
            .unwrap_or(0)
    }
    /// The term of the server the disruptive-server chapter cuts off.
    fn cut_off_term(&self) -> u64 {
        self.sim.node(CUT_OFF).current_term
    }
    /// The leader of the run's first term.
    fn first_leader(&self) -> String {
        self.sim
            .leaders_by_term()
            .values()
            .next()
            .copied()
            .map(server_name)
            .unwrap_or_else(|| UNKNOWN.into())
    }
    fn down(&self) -> String {
        down_server(self.sim)
            .map(server_name)
            .unwrap_or_else(|| UNKNOWN.into())
    }
    /// The other server on the old leader's side of a partition.
    fn partner(&self) -> String {
        let Ok(old) = old_leader(self.sim) else {
            return UNKNOWN.into();
        };
        (0..self.sim.servers().len() as NodeId)
            .find(|&id| id != old && !self.sim.links().is_cut(old, id))
            .map(server_name)
            .unwrap_or_else(|| UNKNOWN.into())
    }
    /// The leader of the majority's side after a split.
    fn new_leader(&self) -> String {
        new_leader(self.sim)
            .map(server_name)
            .unwrap_or_else(|| UNKNOWN.into())
    }
    /// The term the old leader is in now.
    fn old_now_term(&self) -> u64 {
        old_leader(self.sim).map_or(0, |o| self.sim.node(o).current_term)
    }
    /// Who the old leader heard from before it lost its quorum (CheckQuorum).
    fn heard_from(&self) -> Vec<NodeId> {
        quorum_lost(self.sim).map(|(_, h)| h).unwrap_or_default()
    }
    /// How many servers confirmed the old leader for its waiting ReadIndex read.
    fn read_acks(&self) -> usize {
        old_leader(self.sim).map_or(0, |o| {
            self.sim
                .node(o)
                .pending_reads
                .first()
                .map_or(0, |r| r.acks.len())
        })
    }
    fn target(&self) -> String {
        transfer_target(self.sim)
            .map(server_name)
            .unwrap_or_else(|| UNKNOWN.into())
    }
    /// How long the hand-over took, in whole milliseconds.
    fn transfer_ms(&self) -> u64 {
        transfer_times(self.sim).map_or(0, |(asked, led)| (led - asked) / MS)
    }
    /// The server the snapshots chapter crashes and brings back.
    fn snap_follower(&self) -> String {
        snapshot_follower(self.sim)
            .map(server_name)
            .unwrap_or_else(|_| UNKNOWN.into())
    }
    /// (last included index, term) of a server's snapshot; (0, 0) without one.
    fn snapshot_at(&self, id: Option<NodeId>) -> (u64, u64) {
        id.map_or((0, 0), |id| {
            let log = &self.sim.node(id).log;
            (log.snapshot_index(), log.snapshot_term())
        })
    }
    /// The leader's snapshot.
    fn leader_snapshot(&self) -> (u64, u64) {
        self.snapshot_at(self.sim.leader())
    }
    /// The snapshots chapter's follower's snapshot.
    fn follower_snapshot(&self) -> (u64, u64) {
        self.snapshot_at(snapshot_follower(self.sim).ok())
    }
    /// The last index of the snapshots chapter's follower's log.
    fn follower_last(&self) -> u64 {
        snapshot_follower(self.sim).map_or(0, |f| self.sim.node(f).log.last_index())
    }
    /// The index the leader would send the follower next (its nextIndex).
    fn follower_next(&self) -> u64 {
        match (self.sim.leader(), snapshot_follower(self.sim)) {
            (Some(l), Ok(f)) => self.sim.node(l).next_index[f as usize],
            _ => 0,
        }
    }
    /// How many entries the leader's log holds after its snapshot.
    fn after_snapshot(&self) -> u64 {
        self.sim.leader().map_or(0, |l| {
            let log = &self.sim.node(l).log;
            log.last_index() - log.snapshot_index()
        })
    }
    /// The value of x in a server's snapshot: what an InstallSnapshot carries, or what
    /// installing one gave, older than the state machine when entries follow the snapshot.
    fn snapshot_x_of(&self, id: Option<NodeId>) -> String {
        id.and_then(|id| self.sim.node(id).log.snapshot())
            .and_then(|s| s.state.get("x"))
            .map_or_else(|| "∅".into(), |v| v.to_string())
    }
    /// The value of x in the leader's snapshot.
    fn snapshot_x(&self) -> String {
        self.snapshot_x_of(self.sim.leader())
    }
    /// The value of x in the snapshots chapter's follower's snapshot.
    fn follower_snapshot_x(&self) -> String {
        self.snapshot_x_of(snapshot_follower(self.sim).ok())
    }
    /// The value of x in the snapshots chapter's follower's state machine.
    fn follower_x(&self) -> String {
        snapshot_follower(self.sim)
            .ok()
            .and_then(|id| self.sim.node(id).kv.get("x"))
            .map_or_else(|| "∅".into(), |v| v.to_string())
    }
    /// The server the growing chapter added last.
    fn newest(&self) -> String {
        server_name(newest_server(self.sim))
    }
    /// How long the newest server's last catch-up round took, in whole milliseconds.
    fn catch_up_ms(&self) -> u64 {
        catch_up_round(self.sim).map_or(0, |(_, took)| took / MS)
    }
    /// The term S1 leads (Figure 8's third ending).
    fn s1_term(&self) -> u64 {
        self.sim.node(0).current_term
    }
    /// A follower that holds log entry 1.
    /// The followers that hold log entry 1.
    fn followers_with_entry(&self) -> Vec<NodeId> {
        self.sim
            .servers()
            .iter()
            .filter(|s| s.node.role == Role::Follower && s.node.log.last_index() >= 1)
            .map(|s| s.node.id)
            .collect()
    }
    /// Running followers that know entry 1 is committed.
    fn followers_committed_1(&self) -> usize {
        self.sim
            .servers()
            .iter()
            .filter(|s| s.up && s.node.role == Role::Follower && s.node.commit_index >= 1)
            .count()
    }
    /// Whether S5's term-3 entry at index 2 has been replaced by the committed one.
    fn s5_overwritten(&self) -> bool {
        self.sim.servers().len() == 5 && self.sim.node(4).log.term_at(2) == Some(2)
    }
    /// The servers whose votes the leader won, itself left out.
    fn voters(&self) -> Vec<NodeId> {
        self.sim
            .leader()
            .map(|l| {
                let node = self.sim.node(l);
                node.votes_granted
                    .iter()
                    .copied()
                    .filter(|&v| v != l)
                    .collect()
            })
            .unwrap_or_default()
    }
    /// Running candidates of the leader's own term: they stood too, and its first
    /// heartbeat has not reached them yet.
    fn rivals(&self) -> Vec<NodeId> {
        candidates(self.sim)
            .into_iter()
            .filter(|&c| {
                self.sim.leader().is_some() && self.sim.node(c).current_term == self.term()
            })
            .collect()
    }
    /// Running candidates of a term older than the newest: the newer term has not
    /// reached them yet.
    fn stale_candidates(&self) -> Vec<NodeId> {
        candidates(self.sim)
            .into_iter()
            .filter(|&c| self.sim.node(c).current_term < self.max_term())
            .collect()
    }
    fn heartbeat_ms(&self) -> u64 {
        self.sim.config().raft.heartbeat_interval / MS
    }
    fn timeout_ms(&self) -> (u64, u64) {
        let r = &self.sim.config().raft;
        (r.election_timeout_min / MS, r.election_timeout_max / MS)
    }
    /// How many servers (running or not) hold an entry of `term` at `index`.
    fn holders_of_term_at(&self, index: u64, term: u64) -> usize {
        self.sim
            .servers()
            .iter()
            .filter(|s| s.node.log.term_at(index) == Some(term))
            .count()
    }
    /// How many of the leader's copies of entry 1 it has confirmed (its matchIndex and
    /// itself): what it counts to commit.
    fn confirmed_1(&self) -> usize {
        self.sim
            .leader()
            .map(|l| self.sim.node(l).replica_count(1))
            .unwrap_or(0)
    }
    /// How many servers hold the leader's entry 1: what the logs show.
    fn stored_1(&self) -> usize {
        self.sim
            .leader()
            .and_then(|l| self.sim.node(l).log.term_at(1))
            .map(|t| self.holders_of_term_at(1, t))
            .unwrap_or(0)
    }
    fn servers(&self) -> usize {
        self.sim.servers().len()
    }
}

/// Log replication's commit: the leader counts the copies it has confirmed, which can
/// be fewer than the logs already show (acknowledgements still on their way), so where
/// they differ the caption gives both.
fn majority_confirmed(lang: Lang, f: &Facts) -> String {
    let (stored, confirmed, n) = (f.stored_1(), f.confirmed_1(), f.servers());
    match (lang, stored == confirmed) {
        (Lang::En, true) => {
            format!("The leader knows that {confirmed} of {n} servers have the entry: a majority.")
        }
        (Lang::En, false) => format!(
            "{stored} of {n} servers have the entry now, and the leader has confirmed {confirmed} of them (itself, and the followers whose matchIndex has reached 1): a majority."
        ),
        (Lang::Zh, true) => {
            format!("领导者得知 {n} 台服务器中已有 {confirmed} 台拥有这个条目：多数派。")
        }
        (Lang::Zh, false) => format!(
            "{n} 台服务器中现在已有 {stored} 台拥有这个条目，领导者已确认其中 {confirmed} 台（它自己，以及 matchIndex 已达到 1 的跟随者）：多数派。"
        ),
    }
}

/// "S2", "S2 and S3", "S2, S3 and S4" (in Chinese "S2 和 S3", "S2、S3 和 S4").
fn names(lang: Lang, ids: &[NodeId]) -> String {
    let names: Vec<String> = ids.iter().map(|&id| server_name(id)).collect();
    match names.split_last() {
        None => UNKNOWN.into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!(
            "{}{}{last}",
            rest.join(lang.pick(", ", "、")),
            lang.pick(" and ", " 和 ")
        ),
    }
}

/// Figure 8's S5 wins term 5; a server that stood in the same term and has not heard
/// from it yet is still drawn as a candidate, so the caption says so.
fn rivals_sentence(lang: Lang, f: &Facts) -> String {
    let rivals = f.rivals();
    if rivals.is_empty() {
        return String::new();
    }
    let (who, l, t) = (names(lang, &rivals), f.leader(), f.term());
    match (lang, rivals.len()) {
        (Lang::En, 1) => format!(
            " {who} also stood in term {t}: it is still a candidate, as {l}'s first heartbeat has not reached it yet."
        ),
        (Lang::En, _) => format!(
            " {who} also stood in term {t}: they are still candidates, as {l}'s first heartbeat has not reached them yet."
        ),
        (Lang::Zh, k) => {
            let it = if k == 1 { "它" } else { "它们" };
            format!("{who} 也在任期 {t} 参选：{l} 的第一个心跳还没有到达{it}，所以{it}仍是候选人。")
        }
    }
}

/// The split vote's second round: a candidate of term 1 that term 2 has not reached is
/// still drawn as one.
fn stale_candidates_sentence(lang: Lang, f: &Facts) -> String {
    let stale = f.stale_candidates();
    if stale.is_empty() {
        return String::new();
    }
    let who = names(lang, &stale);
    let terms: Vec<u64> = stale.iter().map(|&c| f.sim.node(c).current_term).collect();
    let (old, new) = (terms[0], f.max_term());
    match (lang, stale.len()) {
        (Lang::En, 1) => {
            format!(" {who} is still a candidate of term {old}: term {new} has not reached it yet.")
        }
        (Lang::En, _) => format!(
            " {who} are still candidates of term {old}: term {new} has not reached them yet."
        ),
        (Lang::Zh, k) => {
            let it = if k == 1 { "它" } else { "它们" };
            format!("{who} 仍是任期 {old} 的候选人：任期 {new} 还没有传到{it}那里。")
        }
    }
}

/// The caption of a step: what just happened at its checkpoint, and why.
pub fn caption(lang: Lang, chapter: usize, step: usize, sim: &Sim) -> String {
    let f = Facts { sim };
    let id = CHAPTERS.get(chapter).map(|c| c.id).unwrap_or("");
    let (l, t) = (f.leader(), f.term());
    let zh = lang == Lang::Zh;
    match (id, step, zh) {
        ("consensus", 0, false) => "Consensus starts simple. This is one server, S1. It keeps a value for its clients, like a tiny database, and since it is alone it is its own leader: it never has to agree with anyone.".into(),
        ("consensus", 0, true) => "从最简单的情形说起。这是一台服务器 S1，它为客户端保存一个值，就像一个小小的数据库。它只有自己，所以自己就是领导者，从不需要和别人达成一致。".into(),
        ("consensus", 1, false) => "A client writes x = 5. S1 puts it in its log and applies it at once: one server always agrees with itself.".into(),
        ("consensus", 1, true) => "客户端写入 x = 5。S1 把它写进日志并立即应用：一台服务器总是和自己一致。".into(),
        ("consensus", 2, false) => "But S1 has crashed. Nobody can read or write x until it comes back, and if its disk is lost, x = 5 is lost too. One copy is not enough.".into(),
        ("consensus", 2, true) => "但是 S1 宕机了。在它恢复之前，谁也无法读写 x；如果磁盘损坏，x = 5 也就丢了。只有一份副本是不够的。".into(),
        ("consensus", 3, false) => format!("So keep copies on three servers. Now they must agree on the same values in the same order, even when one crashes or a message is lost: that is consensus. Raft first elects a leader: here {l}, leader of term {t}."),
        ("consensus", 3, true) => format!("所以我们把副本放在三台服务器上。现在它们必须以相同的顺序就相同的值达成一致，即使有服务器宕机、有消息丢失：这就是共识。Raft 先选出一个领导者：这里是 {l}，任期 {t} 的领导者。"),
        ("consensus", 4, false) => format!("The client writes x = 5 to the leader. {l} copies it to the others; once a majority (2 of 3) has it, it is committed, and every server's state machine holds x = 5."),
        ("consensus", 4, true) => format!("客户端向领导者写入 x = 5。{l} 把它复制给其他服务器；一旦多数派（3 台中的 2 台）拥有它，它就被提交了，每台服务器的状态机中 x 都等于 5。"),
        ("consensus", 5, false) => format!("{} has crashed, yet the write y = 7 still commits: the two servers left are a majority. Raft keeps working as long as a majority is up and can talk. The next chapters show how.", f.down()),
        ("consensus", 5, true) => format!("{} 宕机了，但写入 y = 7 依然被提交：剩下的两台服务器仍是多数派。只要多数派在运行并能互相通信，Raft 就能继续工作。接下来的章节讲它是怎么做到的。", f.down()),

        ("roles-and-terms", 0, false) => "Five servers, and three roles. All start as followers (outlined circles): a follower only answers others. The ring around each server is its election timer: if it runs out before the follower hears from a leader, the follower starts an election.".into(),
        ("roles-and-terms", 0, true) => "五台服务器，三种角色。开始时都是跟随者（空心圆）：跟随者只回应别人。每台服务器周围的圆环是它的选举计时器：如果在收到领导者的消息之前计时器耗尽，跟随者就会发起选举。".into(),
        ("roles-and-terms", 1, false) => format!("{}'s timer ran out first. It became a candidate (dashed circle) and started term {}. Terms number the elections: a logical clock that only goes up. Every message carries its sender's term.", f.candidate(), f.max_term()),
        ("roles-and-terms", 1, true) => format!("{} 的计时器最先耗尽。它成为候选人（虚线圆），开始了任期 {}。任期给选举编号：它是一个只增不减的逻辑时钟。每条消息都带着发送者的任期。", f.candidate(), f.max_term()),
        ("roles-and-terms", 2, false) => format!("{l} got votes from a majority and is now leader of term {t} (filled circle). A term has at most one leader. Those are the three roles: follower, candidate, leader."),
        ("roles-and-terms", 2, true) => format!("{l} 获得了多数派的选票，成为任期 {t} 的领导者（实心圆）。每个任期最多只有一个领导者。这就是三种角色：跟随者、候选人、领导者。"),
        ("roles-and-terms", 3, false) => format!("Now crash the leader, {l}, and watch the term."),
        ("roles-and-terms", 3, true) => format!("现在让领导者 {l} 宕机，注意观察任期的变化。"),
        ("roles-and-terms", 4, false) => format!("{} crashed. The followers stopped hearing heartbeats, one timed out, and {l} won the election of term {t}. Every new election has a higher term.", f.old()),
        ("roles-and-terms", 4, true) => format!("{} 宕机了。跟随者不再收到心跳，有一台超时，{l} 赢得了任期 {t} 的选举。每次新的选举都有更高的任期。", f.old()),
        ("roles-and-terms", 5, false) => format!("{} is still down, and its disk still says term {}. Restart it.", f.old(), f.old_term()),
        ("roles-and-terms", 5, true) => format!("{} 仍然宕机，它的磁盘上记录的还是任期 {}。重启它。", f.old(), f.old_term()),
        ("roles-and-terms", 6, false) => format!("{} came back believing it was term {}. The first message from {l} carried term {t}: a server that sees a higher term adopts it and becomes a follower. Terms let servers spot stale information.", f.old(), f.old_term()),
        ("roles-and-terms", 6, true) => format!("{} 重启时还以为是任期 {}。{l} 的第一条消息带着任期 {t}：服务器看到更高的任期，就采用它并成为跟随者。任期让服务器能识别过时的信息。", f.old(), f.old_term()),

        ("election", 0, false) => format!("Five followers. Each drew a random election timeout between {} and {} ms, and each ring drains towards it: the ring with the least left runs out first, and that server asks the others for their votes.", f.timeout_ms().0, f.timeout_ms().1),
        ("election", 0, true) => format!("五个跟随者。每台服务器的选举超时都是在 {} 到 {} 毫秒之间随机选取的，圆环随之缩短：剩得最少的圆环最先耗尽，那台服务器就会向其他服务器请求投票。", f.timeout_ms().0, f.timeout_ms().1),
        ("election", 1, false) => format!("{}'s timer ran out first. It becomes a candidate: it increments its term to {}, votes for itself, and sends RequestVote (round dots) to the other four.", f.candidate(), f.max_term()),
        ("election", 1, true) => format!("{} 的计时器最先耗尽。它成为候选人：把任期加 1（变为 {}），给自己投票，并向其余四台服务器发送 RequestVote（圆点）。", f.candidate(), f.max_term()),
        ("election", 2, false) => format!("{} grants its vote: it has not voted in term {}, and {}'s log is at least as up to date as its own. Granting also resets the voter's election timer. {} has {} votes so far (its own included); the other replies are on their way.", f.first_voter(), f.max_term(), f.candidate(), f.candidate(), f.candidate_votes()),
        ("election", 2, true) => format!("{} 投出了选票：它在任期 {} 还没有投过票，而且 {} 的日志至少和它自己的一样新。投票的同时它也重置了自己的选举计时器。{} 目前有 {} 票（包括自己的一票），其余的回复还在路上。", f.first_voter(), f.max_term(), f.candidate(), f.candidate(), f.candidate_votes()),
        ("election", 3, false) => format!("With votes from a majority (3 of 5), {l} becomes leader of term {t}. It sends heartbeats at once, so that nobody else starts an election."),
        ("election", 3, true) => format!("获得多数派的选票（5 票中的 3 票）后，{l} 成为任期 {t} 的领导者。它立即发送心跳，让其他服务器不再发起选举。"),
        ("election", 4, false) => format!("The leader sends a heartbeat (an empty AppendEntries, small square) every {} ms. Each one resets the follower's election timer: watch the rings refill. While the leader is up, no follower times out.", f.heartbeat_ms()),
        ("election", 4, true) => format!("领导者每 {} 毫秒发送一次心跳（空的 AppendEntries，小方块）。每次心跳都会重置跟随者的选举计时器：看圆环重新充满。只要领导者在运行，跟随者就不会超时。", f.heartbeat_ms()),

        ("split-vote", 0, false) => format!("Four servers this time, so a majority is 3. What if two followers time out at the same moment? We will make {} and {} time out together: rare, but it happens.", server_name(SPLIT_CANDIDATES[0]), server_name(SPLIT_CANDIDATES[1])),
        ("split-vote", 0, true) => format!("这次是四台服务器，多数派是 3 台。如果两个跟随者同时超时会怎样？我们让 {} 和 {} 同时超时：很少见，但确实会发生。", server_name(SPLIT_CANDIDATES[0]), server_name(SPLIT_CANDIDATES[1])),
        ("split-vote", 1, false) => format!("A split vote: {} and {} are both candidates in term {}. Each voted for itself and got one more vote: 2 each, and 3 are needed. Nobody wins term {}.", server_name(SPLIT_CANDIDATES[0]), server_name(SPLIT_CANDIDATES[1]), f.max_term(), f.max_term()),
        ("split-vote", 1, true) => format!("选票瓜分：{} 和 {} 都是任期 {} 的候选人。两人各投自己一票，又各得一票，共 2 票，而当选需要 3 票。任期 {} 没有人获胜。", server_name(SPLIT_CANDIDATES[0]), server_name(SPLIT_CANDIDATES[1]), f.max_term(), f.max_term()),
        ("split-vote", 2, false) => format!("Nobody won term 1, so the election timers keep running, each drawn again at random. {}'s ran out first: it starts term {} and asks for votes. Any server that sees term {} becomes a follower, the candidates of term 1 included.{}", f.candidate(), f.max_term(), f.max_term(), stale_candidates_sentence(lang, &f)),
        ("split-vote", 2, true) => format!("任期 1 没有人获胜，所以选举计时器继续倒计时，每次都重新随机选取超时。{} 的计时器最先耗尽：它开始任期 {} 并请求投票。任何看到任期 {} 的服务器都会成为跟随者，任期 1 的候选人也不例外。{}", f.candidate(), f.max_term(), f.max_term(), stale_candidates_sentence(lang, &f)),
        ("split-vote", 3, false) => format!("{l} wins term {t} with a majority. Randomised timeouts make a repeated split unlikely: usually one server times out well before the others."),
        ("split-vote", 3, true) => format!("{l} 以多数票赢得任期 {t}。随机化的超时让选票瓜分很难一再发生：通常总有一台服务器比其他服务器早很多超时。"),

        ("log-replication", 0, false) => format!("{l} leads term {t}. Clients send their writes to the leader. The logs below show each server's entries."),
        ("log-replication", 0, true) => format!("{l} 是任期 {t} 的领导者。客户端把写入发给领导者。下方的日志显示每台服务器的条目。"),
        ("log-replication", 1, false) => format!("A client asks {l} to set x = 3. The leader appends the command to its log at index 1, uncommitted (hatched): nothing is applied yet."),
        ("log-replication", 1, true) => format!("客户端请求 {l} 设置 x = 3。领导者把这条命令追加到自己日志中索引 1 处，尚未提交（斜线）：还没有应用到状态机。"),
        ("log-replication", 2, false) => {
            let holders = f.followers_with_entry();
            let (have, reply) = if holders.len() == 1 { ("has it in its log", "replies") } else { ("have it in their logs", "reply") };
            format!("The leader sends AppendEntries carrying the entry (the larger squares). {} {have} now and {reply} success. It is still not committed.", names(lang, &holders))
        }
        ("log-replication", 2, true) => format!("领导者发送携带这个条目的 AppendEntries（较大的方块）。{} 已经把它写进日志并回复成功。它仍然没有被提交。", names(lang, &f.followers_with_entry())),
        ("log-replication", 3, false) => format!("{} The leader commits it, applies x = 3 to its state machine and answers the client. {}", majority_confirmed(lang, &f), if f.followers_committed_1() == 0 { "No follower knows yet that it is committed: their copies are still hatched." } else { "Some followers do not know yet that it is committed." }),
        ("log-replication", 3, true) => format!("{}领导者提交它，把 x = 3 应用到状态机，并答复客户端。{}", majority_confirmed(lang, &f), if f.followers_committed_1() == 0 { "还没有哪个跟随者知道它已经提交：它们的副本仍显示为斜线。" } else { "有些跟随者还不知道它已经提交。" }),
        ("log-replication", 4, false) => "Followers learn the new commit index from the leader's next AppendEntries (leaderCommit) and apply x = 3 too. Every state machine now holds the same value: that is log replication.".into(),
        ("log-replication", 4, true) => "跟随者从领导者的下一条 AppendEntries（leaderCommit）得知新的提交位置，也应用了 x = 3。现在每台服务器的状态机都有相同的值：这就是日志复制。".into(),

        ("leader-crash", 0, false) => format!("{l} leads term {t}, and every server holds x = 1, committed. Now crash the leader."),
        ("leader-crash", 0, true) => format!("{l} 是任期 {t} 的领导者，每台服务器上 x = 1 都已提交。现在让领导者宕机。"),
        ("leader-crash", 1, false) => format!("{} is down. The followers no longer get heartbeats, and their election timers run down.", f.down()),
        ("leader-crash", 1, true) => format!("{} 宕机了。跟随者不再收到心跳，它们的选举计时器在倒计时。", f.down()),
        ("leader-crash", 2, false) => format!("A follower timed out, and {l} won term {t}. It still needed 3 votes of 5: a majority counts the whole cluster, down servers included."),
        ("leader-crash", 2, true) => format!("有跟随者超时，{l} 赢得了任期 {t}。它仍然需要 5 票中的 3 票：多数派按整个集群计算，宕机的服务器也算在内。"),
        ("leader-crash", 3, false) => format!("The new leader takes writes: x = 2 commits on the four servers that are up. {} missed it. Restart {}.", f.down(), f.down()),
        ("leader-crash", 3, true) => format!("新领导者接受写入：x = 2 在运行中的四台服务器上提交了。{} 错过了它。重启 {}。", f.down(), f.down()),
        ("leader-crash", 4, false) => format!("{} came back as a follower with its old term and log. {l}'s AppendEntries brought it into term {t} and sent it the entry it missed: its log matches the leader's, and it applies x = 2.", f.old()),
        ("leader-crash", 4, true) => format!("{} 以跟随者身份回来，带着旧的任期和日志。{l} 的 AppendEntries 让它进入任期 {t}，并发来它错过的条目：它的日志与领导者一致，并应用了 x = 2。", f.old()),

        ("partition", 0, false) => format!("{l} leads term {t} over five servers."),
        ("partition", 0, true) => format!("{l} 是这五台服务器在任期 {t} 的领导者。"),
        ("partition", 1, false) => format!("The network splits: {l} and {} can still talk to each other, but not to the other three.", f.partner()),
        ("partition", 1, true) => format!("网络发生分区：{l} 和 {} 之间仍能通信，但与另外三台服务器断开了。", f.partner()),
        ("partition", 2, false) => format!("The three on the majority side stopped hearing heartbeats, and {l} won term {t}. {} still believes it leads term {}: two leaders, in different terms.", f.old(), f.old_term()),
        ("partition", 2, true) => format!("多数派一侧的三台服务器收不到心跳，{l} 赢得了任期 {t}。{} 仍以为自己是任期 {} 的领导者：出现了两个领导者，任期不同。", f.old(), f.old_term()),
        ("partition", 3, false) => format!("A client sends x = 1 to the old leader, {}. It appends the entry to its log.", f.old()),
        ("partition", 3, true) => format!("一个客户端把 x = 1 发给旧领导者 {}。它把条目追加到自己的日志中。", f.old()),
        ("partition", 4, false) => format!("No. {} can reach only {}: 2 of 5 servers are not a majority, so the entry stays uncommitted and the client gets no answer.", f.old(), f.partner()),
        ("partition", 4, true) => format!("不会。{} 只能联系到 {}：5 台中的 2 台不是多数派，所以这个条目一直未提交，客户端也得不到答复。", f.old(), f.partner()),
        ("partition", 5, false) => format!("On the majority side a client writes x = 2 to {l}: 3 of 5 servers have it, so it commits. Now heal the network."),
        ("partition", 5, true) => format!("在多数派一侧，客户端向 {l} 写入 x = 2：5 台中有 3 台拥有它，所以它被提交了。现在恢复网络。"),
        ("partition", 6, false) => format!("The network healed. {} saw term {t} in a message and stepped down to follower. Its uncommitted x = 1 was rolled back, replaced by the leader's entries: every server holds x = 2.", f.old()),
        ("partition", 6, true) => format!("网络恢复了。{} 在消息中看到任期 {t}，退为跟随者。它未提交的 x = 1 被回滚，换成了领导者的条目：每台服务器上 x 都等于 2。", f.old()),

        ("figure-8", 0, false) => "For advanced students: the paper's Figure 8. Earlier, S1 led term 2 and copied its entry at index 2 to S2; then S5 led term 3 and wrote a different index 2, alone. Now S5 is down and S1 has just won term 4.".into(),
        ("figure-8", 0, true) => "进阶内容：论文中的图 8。此前，S1 是任期 2 的领导者，把索引 2 处的条目复制给了 S2；随后 S5 是任期 3 的领导者，独自在索引 2 处写入了另一个条目。现在 S5 宕机，S1 刚刚赢得任期 4。".into(),
        ("figure-8", 1, false) => format!("S1 copies its term-2 entry at index 2 to the others: now {} of 5 servers hold it, a majority.", f.holders_of_term_at(2, 2)),
        ("figure-8", 1, true) => format!("S1 把它在索引 2 处的任期 2 条目复制给其他服务器：现在 5 台中有 {} 台拥有它，是多数派。", f.holders_of_term_at(2, 2)),
        ("figure-8", 2, false) => "No. A leader commits by counting replicas only for entries of its own term (§5.4.2): index 2 is from term 2, and S1 leads term 4. Why so careful? Crash S1 and see.".into(),
        ("figure-8", 2, true) => "没有。领导者只对自己任期的条目通过统计副本数来提交（§5.4.2）：索引 2 处的条目来自任期 2，而 S1 的任期是 4。为什么要这么谨慎？让 S1 宕机看看。".into(),
        ("figure-8", 3, false) => format!("S1 crashed; S5 restarted and timed out. Its last log term, 3, is newer than any other running server's, so {} granted their votes: S5 leads term {t}.{}", names(lang, &f.voters()), rivals_sentence(lang, &f)),
        ("figure-8", 3, true) => format!("S1 宕机；S5 重启并超时。它最后一个条目的任期是 3，比其他运行中服务器的都新，所以 {} 把票投给了它：S5 成为任期 {t} 的领导者。{}", names(lang, &f.voters()), rivals_sentence(lang, &f)),
        ("figure-8", 4, false) => "S5 overwrites index 2 on the others with its term-3 entry. The entry that was on a majority is gone from every running server, which is safe only because it was never committed.".into(),
        ("figure-8", 4, true) => "S5 用自己任期 3 的条目覆盖了其他服务器上索引 2 处的条目。曾经在多数派上的那个条目从所有运行中的服务器上消失了：这之所以安全，只因为它从未被提交。".into(),
        ("figure-8", 5, false) => "The other ending, from the same start: S1 first replicates an entry of its own term 4 (x = 4) to a majority. Committing index 3 commits index 2 with it.".into(),
        ("figure-8", 5, true) => "另一种结局，从同样的起点开始：S1 先把自己任期 4 的条目（x = 4）复制到多数派。提交索引 3 处的条目时，索引 2 处的条目也随之提交。".into(),
        ("figure-8", 6, false) => format!("Now S1 crashes, and S5 restarts and times out. Its last log term, 3, is older than the majority's 4, so they refuse their votes (the elections push the terms up to {t}), and {l} wins term {t}{}. S1 committed index 2 and 3 before it crashed, and every running log holds them: a committed entry is never lost. They are hatched only because no running server knows it yet; {l} will, once an entry of term {t} reaches a majority.", if f.s5_overwritten() { ", then replaces S5's term-3 entry" } else { "" }),
        ("figure-8", 6, true) => format!("现在 S1 宕机，S5 重启并超时。它最后一个条目的任期是 3，比多数派的 4 旧，所以它们都拒绝投票（几轮选举把任期推到了 {t}），{l} 赢得任期 {t}{}。S1 在宕机前已提交了索引 2 和 3 处的条目，每台运行中服务器的日志里都有它们：已提交的条目永远不会丢失。它们显示为斜线，只是因为还没有运行中的服务器知道这一点；等任期 {t} 的某个条目复制到多数派，{l} 就会知道。", if f.s5_overwritten() { "，随后替换掉了 S5 任期 3 的条目" } else { "" }),

        ("disruptive-server", 0, false) => format!("Beyond the paper's Figure 2: a problem real clusters meet. {l} leads term {t} over five servers. Watch S4: it is about to lose its network, as a server does when its cable is pulled."),
        ("disruptive-server", 0, true) => format!("超出论文图 2 的内容：真实集群会遇到的一个问题。{l} 是这五台服务器在任期 {t} 的领导者。注意 S4：它马上会断网，就像网线被拔掉的服务器一样。"),
        ("disruptive-server", 1, false) => format!("S4 is cut off from every other server. It hears no more heartbeats from {l}, so its election timer will run out."),
        ("disruptive-server", 1, true) => format!("S4 与其他所有服务器断开了连接。它再也收不到 {l} 的心跳，所以它的选举计时器会超时。"),
        ("disruptive-server", 2, false) => format!("Alone, S4 timed out again and again, and each time started an election in a new term that nobody could answer: it is in term {} now, while {l} still leads term {t} for the other four.", f.cut_off_term()),
        ("disruptive-server", 2, true) => format!("孤立的 S4 一次又一次超时，每次都在一个新的任期发起没人能回应的选举：它现在处于任期 {}，而 {l} 仍是其他四台服务器在任期 {t} 的领导者。", f.cut_off_term()),
        ("disruptive-server", 3, false) => format!("S4 is still alone, in term {}. Now plug its cable back in: heal the network.", f.cut_off_term()),
        ("disruptive-server", 3, true) => format!("S4 仍然孤立，处于任期 {}。现在把它的网线插回去：恢复网络。", f.cut_off_term()),
        ("disruptive-server", 4, false) => format!("S4's messages carried its far higher term to the others: each adopted it, so {}, a healthy leader, had to step down, and an election followed. {l} won term {t}. One server with a bad network disrupted the whole cluster, though it had nothing new to offer.", f.first_leader()),
        ("disruptive-server", 4, true) => format!("S4 的消息把它高得多的任期带给了其他服务器：它们都采用了这个任期，于是健康的领导者 {} 不得不退位，随后又是一次选举。{l} 赢得了任期 {t}。一台网络出了问题的服务器扰乱了整个集群，尽管它并没有带来任何新东西。", f.first_leader()),
        ("disruptive-server", 5, false) => format!("The same cluster again, now with PreVote on (the dissertation, section 9.6): a server that times out first asks whether the others would vote for it, and raises its term only if a majority says yes. {l} leads term {t}, and S4 is cut off again."),
        ("disruptive-server", 5, true) => format!("同一个集群再来一次，这次开启了 PreVote（博士论文 9.6 节）：超时的服务器先问其他服务器是否愿意投票给它，只有多数派愿意时才提高任期。{l} 是任期 {t} 的领导者，S4 又一次断网了。"),
        ("disruptive-server", 6, false) => format!("Alone, S4 timed out again and again, but each time it only asked (a PreVote), heard no yes, and kept its term: it is still in term {}, the same as {l}'s.", f.cut_off_term()),
        ("disruptive-server", 6, true) => format!("孤立的 S4 一次又一次超时，但每次都只是询问（PreVote），没有得到同意，于是保持自己的任期不变：它仍处于任期 {}，和 {l} 的任期相同。", f.cut_off_term()),
        ("disruptive-server", 7, false) => format!("S4 is still alone, in term {}. Plug its cable back in: heal the network.", f.cut_off_term()),
        ("disruptive-server", 7, true) => format!("S4 仍然孤立，处于任期 {}。把它的网线插回去：恢复网络。", f.cut_off_term()),
        ("disruptive-server", 8, false) => format!("Back on the network, S4 heard {l}'s heartbeat and followed it. Its term never climbed, so nobody had to step down and no election was needed: {l} still leads term {t}. Had S4 asked again, the others would have said no, for they hear {l} within the shortest election timeout."),
        ("disruptive-server", 8, true) => format!("回到网络后，S4 收到了 {l} 的心跳并跟随它。它的任期从未升高，所以没有人需要退位，也不需要选举：{l} 仍是任期 {t} 的领导者。即使 S4 再问一次，其他服务器也会拒绝，因为它们在最短选举超时之内收到过 {l} 的消息。"),

        ("figure-8", 7, false) => format!("A third ending, beyond Figure 2, with the leader's no-op switched on (section 8 of the paper). From the same start, S1 wins term {} and at once appends an empty entry of its own term at index 3. Once the no-op is on a majority, S1 commits index 3, and index 2 with it: no client write was needed.", f.s1_term()),
        ("figure-8", 7, true) => format!("第三种结局，超出图 2 的内容：开启领导者的空操作（no-op，论文第 8 节）。从同样的起点开始，S1 赢得任期 {}，并立即在索引 3 处追加一个属于自己任期的空条目。一旦这个 no-op 到达多数派，S1 就提交索引 3，索引 2 也随之提交：不需要任何客户端写入。", f.s1_term()),

        ("minority-leader", 0, false) => format!("Beyond the paper's Figure 2: what becomes of a leader cut off in a minority? {l} leads term {t} over five servers."),
        ("minority-leader", 0, true) => format!("超出论文图 2 的内容：被隔离在少数派中的领导者会怎样？{l} 是这五台服务器在任期 {t} 的领导者。"),
        ("minority-leader", 1, false) => format!("The network splits: {} and {} on one side, the other three on the other. {} is in the minority.", f.old(), f.partner(), f.old()),
        ("minority-leader", 1, true) => format!("网络被分开：{} 和 {} 在一边，另外三台在另一边。{} 落在了少数派一侧。", f.old(), f.partner(), f.old()),
        ("minority-leader", 2, false) => format!("The majority elected {} for term {}. Seconds later, {} still believes it leads term {}: in the paper's Raft nothing tells a leader that it lost its majority. A client that reaches it waits for writes that can never commit.", f.new_leader(), f.max_term(), f.old(), f.old_term()),
        ("minority-leader", 2, true) => format!("多数派选出了任期 {} 的领导者 {}。几秒钟后，{} 仍然认为自己是任期 {} 的领导者：在论文的 Raft 中，没有什么会告诉领导者它已失去多数派。连到它的客户端会一直等待永远无法提交的写入。", f.max_term(), f.new_leader(), f.old(), f.old_term()),
        ("minority-leader", 3, false) => format!("The same cluster again, now with CheckQuorum on (the dissertation, section 6.2): a leader that does not hear from a majority within an election timeout steps down. {l} leads term {t}, and the network splits the same way."),
        ("minority-leader", 3, true) => format!("同一个集群再来一次，这次开启了 CheckQuorum（博士论文 6.2 节）：在一个选举超时内没有收到多数派回复的领导者会退位。{l} 是任期 {t} 的领导者，网络以同样的方式被分开。"),
        ("minority-leader", 4, false) => format!("In one election timeout {} heard only from {}: with itself that is not a majority of 3, so it stepped down: it is a follower in term {}. A client that asks it now is turned away at once instead of waiting forever.{}", f.old(), names(lang, &f.heard_from()), f.old_now_term(), match new_leader(sim) { Some(n) => format!(" On the other side, {} leads term {}.", server_name(n), sim.node(n).current_term), None => String::new() }),
        ("minority-leader", 4, true) => format!("在一个选举超时内，{} 只收到了 {} 的回复：算上它自己也不到多数派（3 台），所以它退位了：它现在是任期 {} 的跟随者。客户端现在问它，会立刻被拒绝，而不是永远等待。{}", f.old(), names(lang, &f.heard_from()), f.old_now_term(), match new_leader(sim) { Some(n) => format!("另一边，{} 是任期 {} 的领导者。", server_name(n), sim.node(n).current_term), None => String::new() }),

        ("stale-reads", 0, false) => format!("Reads. A read changes nothing, so a leader could answer it from its own state machine at once, without a log entry. Is that safe? {l} leads term {t}, and x = 1 is committed on all five servers."),
        ("stale-reads", 0, true) => format!("读取。读取不改变任何东西，所以领导者可以不写日志，直接用自己的状态机立即回答。这样安全吗？{l} 是任期 {t} 的领导者，x = 1 已在全部五台服务器上提交。"),
        ("stale-reads", 1, false) => format!("The network splits; {} and {} are in the minority. The other three elect {l} for term {t}, while {} still believes it leads term {}.", f.old(), f.partner(), f.old(), f.old_term()),
        ("stale-reads", 1, true) => format!("网络被分开；{} 和 {} 落在少数派一侧。另外三台选出 {l} 作为任期 {t} 的领导者，而 {} 仍然认为自己是任期 {} 的领导者。", f.old(), f.partner(), f.old(), f.old_term()),
        ("stale-reads", 2, false) => format!("A client writes x = 2 to {l}. A majority stores it, so it commits, and {l} tells the client: success. {} never heard of it: its state machine still says x = 1.", f.old()),
        ("stale-reads", 2, true) => format!("客户端向 {l} 写入 x = 2。多数派保存了它，于是它被提交，{l} 告诉客户端：成功。{} 对此一无所知：它的状态机里仍然是 x = 1。", f.old()),
        ("stale-reads", 3, false) => format!("Another client reads x from {} with a local read, and {} answers from its own state at once: x = 1. But x = 2 was acknowledged before this read began: the read is stale. The checker says so: no order of the reads and writes of x explains it (a safety violation of linearizable reads).", f.old(), f.old()),
        ("stale-reads", 3, true) => format!("另一个客户端用本地读取从 {} 读 x，{} 立即用自己的状态回答：x = 1。但 x = 2 在这次读取开始之前就已确认：这次读取是过期的。检查器指出了这一点：没有任何一种 x 的读写顺序能解释它（违反了“读取可线性化”这一安全性质）。", f.old(), f.old()),
        ("stale-reads", 4, false) => format!("The same moment, now with ReadIndex: {} notes its commit index, then sends a round of heartbeats to confirm it still leads. Only {} answers, so with itself {} servers confirm it, not the 3 needed. A second later the read is still unanswered: no answer is better than a wrong one. Heal the network.", f.old(), f.partner(), f.read_acks()),
        ("stale-reads", 4, true) => format!("同一时刻，这次用 ReadIndex：{} 记下自己的提交索引，然后发送一轮心跳，确认自己仍是领导者。只有 {} 回复了，算上它自己也只有 {} 台确认，不到需要的 3 台。一秒钟后，这次读取仍然没有回答：没有回答总比错误的回答好。恢复网络。", f.old(), f.partner(), f.read_acks()),
        ("stale-reads", 5, false) => format!("Healed: {} sees term {t} and steps down, so its read gets no answer. The client asks again; {l} notes its commit index, a majority confirms it still leads, and it answers x = 2.", f.old()),
        ("stale-reads", 5, true) => format!("网络恢复：{} 看到任期 {t}，随即退位，所以它的读取得不到回答。客户端再问一次；{l} 记下提交索引，多数派确认它仍是领导者，于是它回答 x = 2。", f.old()),

        ("leadership-transfer", 0, false) => format!("Beyond Figure 2: {l} leads term {t}, and x = 1 is committed on all five servers. Suppose {l}'s machine needs maintenance. Crashing it would leave the cluster without a leader for an election timeout or more."),
        ("leadership-transfer", 0, true) => format!("超出图 2 的内容：{l} 是任期 {t} 的领导者，x = 1 已在全部五台服务器上提交。假设 {l} 所在的机器需要维护。直接让它宕机，集群会在一个选举超时甚至更久的时间里没有领导者。"),
        ("leadership-transfer", 1, false) => format!("Instead, {l} is asked to hand its leadership to {}. It takes no more client writes. {}'s log already matches its own, so {l} sends it TimeoutNow (the diamond): start an election now.", f.target(), f.target()),
        ("leadership-transfer", 1, true) => format!("换一种做法：让 {l} 把领导权移交给 {}。它不再接受客户端写入。{} 的日志已经与它的一致，所以 {l} 向它发送 TimeoutNow（菱形）：立即发起选举。", f.target(), f.target()),
        ("leadership-transfer", 2, false) => format!("{l} got TimeoutNow and started an election for term {t} at once, without waiting for its timer. It won {} ms after the request, less than the shortest election timeout ({} ms), and {} stepped down when it saw term {t}.", f.transfer_ms(), f.timeout_ms().0, f.old()),
        ("leadership-transfer", 2, true) => format!("{l} 收到 TimeoutNow，不等计时器，立即为任期 {t} 发起选举。它在请求之后 {} 毫秒就赢了，比最短选举超时（{} 毫秒）还短；{} 看到任期 {t} 后退位。", f.transfer_ms(), f.timeout_ms().0, f.old()),
        ("leadership-transfer", 3, false) => format!("Now {} goes down for maintenance, and the cluster hardly notices: {l} already leads term {t}, and x = 2 commits on the four running servers.", f.old()),
        ("leadership-transfer", 3, true) => format!("现在 {} 停机维护，集群几乎察觉不到：{l} 已经是任期 {t} 的领导者，x = 2 在四台运行中的服务器上提交。", f.old()),

        ("snapshots", 0, false) => format!("Beyond Figure 2: log compaction (section 7). A log cannot grow forever, so here each server writes its state machine down as a snapshot every {SNAPSHOT_EVERY} applied entries and drops the entries the snapshot replaces. {l} leads term {t}, and x = 1 is committed on all three servers."),
        ("snapshots", 0, true) => format!("超出图 2 的内容：日志压缩（第 7 节）。日志不能无限增长，所以这里每台服务器每应用 {SNAPSHOT_EVERY} 个条目，就把状态机写成一个快照，并删去快照取代的条目。{l} 是任期 {t} 的领导者，x = 1 已在全部三台服务器上提交。"),
        ("snapshots", 1, false) => {
            let (si, st) = f.leader_snapshot();
            format!("{} crashed. Meanwhile clients wrote x = 2 to x = 13, and each write committed on the two running servers. {l}'s snapshot now covers its log up to index {si} (term {st}): the block at the start of its row. {}'s log ends at index {}, so the entries it needs next are gone from {l}'s log.", f.snap_follower(), f.snap_follower(), f.follower_last())
        }
        ("snapshots", 1, true) => {
            let (si, st) = f.leader_snapshot();
            format!("{} 宕机了。与此同时，客户端写入了 x = 2 到 x = 13，每次写入都在两台运行中的服务器上提交。{l} 的快照现在覆盖了它到索引 {si}（任期 {st}）的日志：就是它那一行开头的方块。{} 的日志停在索引 {}，所以它接下来需要的条目已经不在 {l} 的日志里了。", f.snap_follower(), f.snap_follower(), f.follower_last())
        }
        ("snapshots", 2, false) => {
            let (si, _) = f.leader_snapshot();
            format!("{} restarted and answered {l}'s heartbeat: its log is too short. {l} would send it entry {}, but that entry is inside its snapshot, so it sends InstallSnapshot (the page) instead: its whole state machine, x = {}, as of index {si}.", f.snap_follower(), f.follower_next(), f.snapshot_x())
        }
        ("snapshots", 2, true) => {
            let (si, _) = f.leader_snapshot();
            format!("{} 重启了，并回复了 {l} 的心跳：它的日志太短。{l} 本该发给它条目 {}，但这个条目已在它的快照里，所以它改为发送 InstallSnapshot（纸页形状）：它整个状态机（x = {}），截至索引 {si}。", f.snap_follower(), f.follower_next(), f.snapshot_x())
        }
        ("snapshots", 3, false) => {
            let (fi, ft) = f.follower_snapshot();
            let rest = match f.after_snapshot() {
                0 => "Nothing follows the snapshot in the leader's log.".to_string(),
                1 => format!("The one entry after the snapshot came as AppendEntries; x is {} now.", f.follower_x()),
                k => format!("The {k} entries after the snapshot came as AppendEntries; x is {} now.", f.follower_x()),
            };
            format!("{} installed the snapshot: its state machine became x = {} at once, without applying the entries one by one, and its log now starts with the snapshot up to index {fi} (term {ft}). {rest}", f.snap_follower(), f.follower_snapshot_x())
        }
        ("snapshots", 3, true) => {
            let (fi, ft) = f.follower_snapshot();
            let rest = match f.after_snapshot() {
                0 => "领导者的日志里快照之后没有别的条目。".to_string(),
                k => format!("快照之后的 {k} 个条目通过 AppendEntries 送达；现在 x = {}。", f.follower_x()),
            };
            format!("{} 安装了这个快照：它的状态机立即变成 x = {}，无需逐个应用条目；它的日志现在以到索引 {fi}（任期 {ft}）的快照开头。{rest}", f.snap_follower(), f.follower_snapshot_x())
        }

        ("growing-the-cluster", 0, false) => format!("Beyond Figure 2: changing the cluster's membership (section 6). {l} leads term {t} over three servers, so a majority is 2, and x = 1 is committed on all three. Now a new server starts."),
        ("growing-the-cluster", 0, true) => format!("超出图 2 的内容：改变集群的成员（第 6 节）。{l} 是这三台服务器在任期 {t} 的领导者，所以多数派是 2 台，x = 1 已在全部三台服务器上提交。现在一台新服务器启动了。"),
        ("growing-the-cluster", 1, false) => format!("{} started with an empty log. {l} appended a configuration entry that adds it as a learner: {} receives the log but does not vote and is not counted, so a majority is still 2 of the 3 voting servers.", f.newest(), f.newest()),
        ("growing-the-cluster", 1, true) => format!("{} 启动时日志是空的。{l} 追加了一个配置条目，把它作为学习者加入：{} 接收日志，但不投票，也不被计入，所以多数派仍是 3 台投票服务器中的 2 台。", f.newest(), f.newest()),
        ("growing-the-cluster", 2, false) => format!("{}'s catch-up round took {} ms, less than the shortest election timeout ({} ms), so it is close enough to current: {l} appended the configuration that makes it a voter. Four servers vote now, and a majority is 3.", f.newest(), f.catch_up_ms(), f.timeout_ms().0),
        ("growing-the-cluster", 2, true) => format!("{} 的追赶轮用了 {} 毫秒，少于最短选举超时（{} 毫秒），说明它已足够接近最新：{l} 追加了让它成为投票成员的配置。现在四台服务器投票，多数派是 3 台。", f.newest(), f.catch_up_ms(), f.timeout_ms().0),
        ("growing-the-cluster", 3, false) => format!("The same for {}: a learner first, then a voter. Five servers vote, a majority is 3 again, and x = 2 is committed on all five. Each change added one server, so a majority of the old configuration and a majority of the new one always share a server.", f.newest()),
        ("growing-the-cluster", 3, true) => format!("{} 也一样：先做学习者，再成为投票成员。五台服务器投票，多数派又是 3 台，x = 2 已在全部五台服务器上提交。每次变更只加入一台服务器，所以旧配置的多数派和新配置的多数派总有一台共同的服务器。", f.newest()),

        ("removing-the-leader", 0, false) => format!("{l} leads term {t} over five servers, and x = 1 is committed on all five. Suppose {l}'s machine is to be retired: the cluster must go on with four."),
        ("removing-the-leader", 0, true) => format!("{l} 是这五台服务器在任期 {t} 的领导者，x = 1 已在全部五台服务器上提交。假设 {l} 所在的机器要退役：集群必须靠剩下的四台继续工作。"),
        ("removing-the-leader", 1, false) => format!("{} appended a configuration entry without itself. It still leads term {}, but no longer counts itself: the entry commits once 3 of the other 4 store it.", f.old(), f.old_term()),
        ("removing-the-leader", 1, true) => format!("{} 追加了一个不含它自己的配置条目。它仍是任期 {} 的领导者，但不再把自己算进去：要另外 4 台中的 3 台保存了这个条目，它才提交。", f.old(), f.old_term()),
        ("removing-the-leader", 2, false) => {
            // Squares still leaving the old leader would look like a leader's: say what they are.
            let still = match f.old_appends_in_flight() {
                0 => String::new(),
                1 => format!(" One AppendEntries that {} sent before it stepped down is still on its way.", f.old()),
                n => format!(" {n} AppendEntries that {} sent before it stepped down are still on their way.", f.old()),
            };
            format!("The change is committed. {} stepped down and left the cluster: it is drawn faded, not a member. Its own log holds the configuration without it, so it will never stand for election. For now nobody leads: the other four's timers are running.{still}", f.old())
        }
        ("removing-the-leader", 2, true) => {
            let still = match f.old_appends_in_flight() {
                0 => String::new(),
                n => format!("{} 退位前发出的 {n} 条 AppendEntries 仍在路上。", f.old()),
            };
            format!("变更已经提交。{} 退位并离开了集群：它显示为淡色，不再是成员。它自己的日志里就有不含它的配置，所以它再也不会参加选举。现在没有领导者：另外四台的计时器正在走。{still}", f.old())
        }
        ("removing-the-leader", 3, false) => format!("The four remaining servers elected {l} for term {t}, with votes from a majority of the four (3 of 4). {} still runs, but it is no longer a member.", f.old()),
        ("removing-the-leader", 3, true) => format!("剩下的四台服务器选出了 {l} 作为任期 {t} 的领导者，获得了四台中多数派的选票（4 票中的 3 票）。{} 仍在运行，但已不再是成员。", f.old()),

        ("free-play", 0, false) => "That is Raft. The sandbox is yours, from where the tour ended: click a server to crash, restart or isolate it, press C for a client write, split the network, change the speed, rewind on the timeline.".into(),
        ("free-play", 0, true) => "这就是 Raft。沙盒交给你了，就从导览结束的地方开始：点击服务器可以让它宕机、重启或隔离，按 C 发起客户端写入，制造网络分区，调节速度，在时间线上回放。".into(),
        _ => String::new(),
    }
}

/// A question, as asked.
pub fn question_text(lang: Lang, q: Question) -> String {
    match q {
        Question::WhichLeader => lang
            .pick("Which server becomes leader?", "哪台服务器会成为领导者？")
            .into(),
        Question::WhoWins(t) => match lang {
            Lang::En => format!("Who wins term {t}?"),
            Lang::Zh => format!("谁赢得任期 {t}？"),
        },
        Question::WillCommit => lang
            .pick("Will this write commit?", "这次写入会被提交吗？")
            .into(),
        Question::IsCommitted(i) => match lang {
            Lang::En => format!("Is index {i} committed now?"),
            Lang::Zh => format!("第 {i} 个条目现在已经提交了吗？"),
        },
        Question::LocalReadReturns => lang
            .pick(
                "A local read of x at the old leader: what does it return?",
                "在旧领导者上本地读取 x：会返回什么？",
            )
            .into(),
        Question::MajorityOnceVoting => lang
            .pick(
                "Once the new server votes, how many servers make a majority?",
                "新服务器开始投票以后，多数派是几台服务器？",
            )
            .into(),
        Question::EntriesOrSnapshot => lang
            .pick(
                "When the server that is down comes back, how will the leader bring it up to date?",
                "宕机的服务器回来后，领导者会怎样让它跟上？",
            )
            .into(),
    }
}

/// The answers a reader can pick from.
pub fn options(q: Question, sim: &Sim) -> Vec<Answer> {
    match q {
        Question::WhichLeader | Question::WhoWins(_) => sim
            .servers()
            .iter()
            .filter(|s| s.up)
            .map(|s| Answer::Server(Some(s.node.id)))
            .chain([Answer::Server(None)])
            .collect(),
        Question::WillCommit | Question::IsCommitted(_) => {
            vec![Answer::YesNo(true), Answer::YesNo(false)]
        }
        // Every value of x some running server's state machine holds now.
        Question::LocalReadReturns => {
            let values: std::collections::BTreeSet<Option<i64>> = sim
                .servers()
                .iter()
                .filter(|s| s.up)
                .map(|s| s.node.kv.get("x"))
                .collect();
            values.into_iter().map(Answer::Value).collect()
        }
        Question::EntriesOrSnapshot => vec![Answer::Snapshot(false), Answer::Snapshot(true)],
        Question::MajorityOnceVoting => (2..=4).map(Answer::Count).collect(),
    }
}

/// An answer in words. Chinese answers a yes/no question with the question's own verb:
/// 会 / 不会 for "will it commit", 是 / 否 for "is it committed".
pub fn answer_text(lang: Lang, q: Question, a: Answer) -> String {
    match (a, q) {
        (Answer::Server(Some(id)), _) => server_name(id),
        // "Which server becomes leader?" answered with no election: the leader on screen
        // stays, so "nobody" would contradict its crown.
        (Answer::Server(None), Question::WhichLeader) => {
            lang.pick("no new leader", "没有新的领导者").into()
        }
        (Answer::Server(None), _) => lang.pick("nobody", "没有人").into(),
        (Answer::Value(Some(v)), _) => format!("x = {v}"),
        (Answer::Value(None), _) => lang.pick("no value", "无值").into(),
        (Answer::Count(n), _) => match lang {
            Lang::En => format!("{n} servers"),
            Lang::Zh => format!("{n} 台"),
        },
        (Answer::Snapshot(false), _) => lang
            .pick("with entries (AppendEntries)", "用条目（AppendEntries）")
            .into(),
        (Answer::Snapshot(true), _) => lang
            .pick(
                "with a snapshot (InstallSnapshot)",
                "用快照（InstallSnapshot）",
            )
            .into(),
        (Answer::YesNo(yes), Question::WillCommit) => lang
            .pick(
                if yes { "yes" } else { "no" },
                if yes { "会" } else { "不会" },
            )
            .into(),
        (Answer::YesNo(yes), _) => lang
            .pick(
                if yes { "yes" } else { "no" },
                if yes { "是" } else { "否" },
            )
            .into(),
    }
}

/// The line that closes a question: the guess (if any) against what the run did.
pub fn reveal_text(lang: Lang, q: Question, guess: Option<Answer>, answer: Answer) -> String {
    let a = answer_text(lang, q, answer);
    match (guess, lang) {
        (None, Lang::En) => format!("The run's answer: {a}."),
        (None, Lang::Zh) => format!("模拟的答案：{a}。"),
        (Some(g), Lang::En) if g == answer => format!("You said {a}: right ✓"),
        (Some(g), Lang::Zh) if g == answer => format!("你的预测是{a}：答对了 ✓"),
        (Some(g), Lang::En) => format!("You said {}; the run says {a} ✗", answer_text(lang, q, g)),
        (Some(g), Lang::Zh) => format!("你的预测是{}；模拟的结果是{a} ✗", answer_text(lang, q, g)),
    }
}

/// The label of the button that does what the caption asks.
pub fn invite_text(lang: Lang, invite: Invite, sim: &Sim) -> String {
    let leader = sim
        .leader()
        .map(server_name)
        .unwrap_or_else(|| UNKNOWN.into());
    let down = down_server(sim)
        .map(server_name)
        .unwrap_or_else(|| UNKNOWN.into());
    match (invite, lang) {
        (Invite::CrashLeader, Lang::En) => format!("Crash {leader}"),
        (Invite::CrashLeader, Lang::Zh) => format!("让 {leader} 宕机"),
        (Invite::RestartDown, Lang::En) => format!("Restart {down}"),
        (Invite::RestartDown, Lang::Zh) => format!("重启 {down}"),
        (Invite::Heal, _) => lang.pick("Heal the network", "恢复网络").into(),
        (Invite::FreePlay, _) => lang.pick("Open the sandbox", "进入沙盒").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::tour::build;

    #[test]
    fn every_step_has_a_caption_in_both_languages_naming_real_servers() {
        for (c, chapter) in CHAPTERS.iter().enumerate() {
            assert!(!chapter_title(Lang::En, c).is_empty());
            assert!(!chapter_title(Lang::Zh, c).is_empty());
            for k in 0..chapter.steps.len() {
                let sim = build(c, k).unwrap();
                let en = caption(Lang::En, c, k, &sim);
                let zh = caption(Lang::Zh, c, k, &sim);
                let at = format!("{} step {}", chapter.id, k + 1);
                assert!(en.len() > 20, "{at}: {en}");
                assert!(zh.chars().count() > 10, "{at}: {zh}");
                assert!(!en.contains(UNKNOWN), "{at} names an unknown server: {en}");
                assert!(!zh.contains(UNKNOWN), "{at} names an unknown server: {zh}");
                assert!(
                    zh.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                    "{at}"
                );
                if let Some(i) = chapter.steps[k].invite {
                    assert!(!invite_text(Lang::En, i, &sim).contains(UNKNOWN), "{at}");
                }
            }
        }
    }

    #[test]
    fn captions_name_the_servers_the_trace_shows() {
        use crate::raft::NodeEvent;
        use crate::sim::EventKind;
        // The first server the trace shows becoming a candidate is the one named first.
        let sim = build(2, 1).unwrap();
        let first = sim
            .trace()
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::Node {
                    node,
                    event:
                        NodeEvent::RoleChanged {
                            to: Role::Candidate,
                            ..
                        },
                } => Some(*node),
                _ => None,
            })
            .expect("a candidate");
        assert!(caption(Lang::En, 2, 1, &sim).starts_with(&server_name(first)));
        assert!(caption(Lang::Zh, 2, 1, &sim).starts_with(&server_name(first)));
        // In the partition, the leader of the higher term is named as the winner.
        let sim = build(6, 2).unwrap();
        let (term, winner) = sim
            .leaders_by_term()
            .iter()
            .next_back()
            .map(|(t, l)| (*t, *l))
            .unwrap();
        let en = caption(Lang::En, 6, 2, &sim);
        assert!(
            en.contains(&format!("{} won term {term}", server_name(winner))),
            "{en}"
        );
    }

    #[test]
    fn a_caption_names_every_server_drawn_as_a_candidate() {
        // A caption that says "S5 leads term 5" while S4 is drawn as a candidate of term 5
        // contradicts the picture: it must say what S4 is doing too.
        for (c, chapter) in CHAPTERS.iter().enumerate() {
            for k in 0..chapter.steps.len() {
                let sim = build(c, k).unwrap();
                for lang in [Lang::En, Lang::Zh] {
                    let text = caption(lang, c, k, &sim);
                    for id in candidates(&sim) {
                        assert!(
                            text.contains(&server_name(id)),
                            "{} step {}: {} is a candidate: {text}",
                            chapter.id,
                            k + 1,
                            server_name(id)
                        );
                    }
                }
            }
        }
        // Figure 8: S5 wins term 5 with S2's and S3's votes, while S4, which stood in
        // term 5 too, has not heard from it yet.
        let sim = build(7, 3).unwrap();
        assert_eq!(candidates(&sim), [3]);
        let en = caption(Lang::En, 7, 3, &sim);
        assert!(
            en.contains(
                "so S2 and S3 granted their votes: S5 leads term 5. S4 also stood in term 5"
            ),
            "{en}"
        );
        let zh = caption(Lang::Zh, 7, 3, &sim);
        assert!(zh.contains("S4 也在任期 5 参选"), "{zh}");
    }

    #[test]
    fn figure_8_says_why_entries_committed_by_a_crashed_leader_are_drawn_hatched() {
        // S1 committed index 2 and 3, then crashed; every running server holds both but
        // none knows yet that they are committed, so the logs draw them hatched there.
        // The second ending's last step (the third ending, the no-op, follows it).
        let last = 6;
        let sim = build(7, last).unwrap();
        assert!(!sim.is_up(0) && sim.node(0).commit_index >= 3);
        assert!(sim.servers().iter().filter(|s| s.up).all(|s| {
            s.node.log.term_at(2) == Some(2)
                && s.node.log.term_at(3) == Some(4)
                && s.node.commit_index < 2
        }));
        let en = caption(Lang::En, 7, last, &sim);
        assert!(
            en.contains("S1 committed index 2 and 3 before it crashed")
                && en.contains("hatched only because no running server knows it yet"),
            "{en}"
        );
        let zh = caption(Lang::Zh, 7, last, &sim);
        assert!(
            zh.contains("S1 在宕机前已提交了索引 2 和 3 处的条目") && zh.contains("斜线"),
            "{zh}"
        );
    }

    #[test]
    fn log_replication_names_every_follower_that_has_the_entry_and_says_who_knows_of_the_commit() {
        // Step 3 said only "S5 has it" while every follower's ✓ was on its way.
        let sim = build(4, 2).unwrap();
        let en = caption(Lang::En, 4, 2, &sim);
        for s in sim.servers() {
            if s.node.role == Role::Follower && s.node.log.last_index() >= 1 {
                assert!(en.contains(&server_name(s.node.id)), "{en}");
            }
        }
        // Step 4 said "some followers do not know yet" when none did.
        let sim = build(4, 3).unwrap();
        let knowing = sim
            .servers()
            .iter()
            .filter(|s| s.node.role == Role::Follower && s.node.commit_index >= 1)
            .count();
        let en = caption(Lang::En, 4, 3, &sim);
        assert_eq!(knowing == 0, en.contains("No follower knows yet"), "{en}");
    }

    #[test]
    fn log_replication_gives_the_copies_stored_and_the_copies_the_leader_has_confirmed() {
        // When S4 commits, all five logs hold the entry but only two acknowledgements
        // have reached it: "the leader knows that 3 of 5 servers have the entry" read
        // wrong under five copies.
        let sim = build(4, 3).unwrap();
        let leader = sim.leader().unwrap();
        assert_eq!(sim.node(leader).replica_count(1), 3);
        assert!(sim.servers().iter().all(|s| s.node.log.last_index() == 1));
        let en = caption(Lang::En, 4, 3, &sim);
        assert!(
            en.starts_with("5 of 5 servers have the entry now, and the leader has confirmed 3 of them (itself, and the followers whose matchIndex has reached 1): a majority."),
            "{en}"
        );
        let zh = caption(Lang::Zh, 4, 3, &sim);
        assert!(zh.contains("领导者已确认其中 3 台"), "{zh}");
    }

    #[test]
    fn reveals_say_right_or_wrong() {
        let yes = Answer::YesNo(true);
        let no = Answer::YesNo(false);
        let will = Question::WillCommit;
        let is = Question::IsCommitted(2);
        assert!(reveal_text(Lang::En, will, Some(no), no).contains('✓'));
        assert!(reveal_text(Lang::Zh, will, Some(yes), no).contains('✗'));
        assert!(reveal_text(Lang::Zh, will, None, no).contains("不会"));
        assert!(
            reveal_text(Lang::Zh, is, None, no).contains('否'),
            "is it committed: no"
        );
        // No one elected: "who wins term 2?" says nobody; "which server becomes leader?"
        // says no new leader (the leader on screen stays).
        let nobody = Answer::Server(None);
        assert!(reveal_text(Lang::En, Question::WhoWins(2), None, nobody).contains("nobody"));
        assert!(
            reveal_text(Lang::En, Question::WhichLeader, None, nobody).contains("no new leader")
        );
        assert!(
            reveal_text(Lang::Zh, Question::WhichLeader, None, nobody).contains("没有新的领导者")
        );
    }
}
