// Faults injected into the real gazette binary: killed (SIGKILL) at random moments while
// it indexes or compacts, a full disk, a read-only index, files missing, unreadable,
// looping or oddly named in a directory walk, damaged index files, search processes
// racing a writer, and an article of 100 MB. What each must leave: an index that opens
// and holds exactly what was committed, and an error that names the cause.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/commands.h"
#include "tests/support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using gazette::testing::TempDir;
using namespace gazette::testing;  // NOLINT: the command helpers (tests/support/commands.h)

constexpr int kReutersArticles = 21578;

// Starts `gazette ARGS...` with stdout and stderr to `log` (stdin from `input` when
// given); returns its pid.
pid_t spawn_gazette(const std::vector<std::string>& args, const std::string& log, int input = -1) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(out, 1);
    dup2(out, 2);
    if (input >= 0) dup2(input, 0);
    std::vector<char*> argv{const_cast<char*>(GAZETTE_BINARY)};
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(GAZETTE_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

// Waits for `pid`; its exit status, or -signal when a signal ended it.
int wait_status(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// The article count `gazette stats` reports, or -1 (and a test failure) when the index
// does not open.
int article_count(const std::string& index) {
  const CommandResult stats = run_gazette("stats --json -i " + quote(index));
  EXPECT_EQ(stats.status, 0) << stats.err;
  return stats.status == 0 ? json::parse(stats.out)["articles"].get<int>() : -1;
}

// Whether the index's segment list (XAPIANDB) lists deletions a writer left unfinished.
bool pending_deletions(const std::string& index) {
  std::ifstream in(fs::path(index) / "XAPIANDB");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#gazette pending-delete ")) return true;
  }
  return false;
}

// The distinct article ids `gazette export` streams, and how many records it streamed.
std::pair<std::size_t, std::size_t> distinct_ids(const std::string& index) {
  const CommandResult run = run_gazette("export --fields id -i " + quote(index));
  EXPECT_EQ(run.status, 0) << run.err;
  std::set<std::string> ids;
  std::size_t records = 0;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    ++records;
    ids.insert(json::parse(line)["id"].get<std::string>());
  }
  return {ids.size(), records};
}

// The random seed of a test: GAZETTE_FAULT_SEED when set (to repeat a failure), else
// from the clock; printed either way.
unsigned fault_seed() {
  const char* given = std::getenv("GAZETTE_FAULT_SEED");
  const unsigned seed = given ? static_cast<unsigned>(std::stoul(given))
                              : static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count());
  std::printf("fault seed %u (GAZETTE_FAULT_SEED=%u repeats this run)\n", seed, seed);
  return seed;
}

// A tmpfs of a given size mounted for one test, unmounted after it. Mounting needs root
// (CAP_SYS_ADMIN); where it is impossible, mounted() is false and the test says so.
class SmallFilesystem {
 public:
  SmallFilesystem(const TempDir& dir, int megabytes) : path_(dir / "mnt") {
    fs::create_directories(path_);
    const std::string options = "size=" + std::to_string(megabytes) + "m";
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) == 0;
    if (!mounted_) {
      why_ = std::string("cannot mount a tmpfs here (") + std::strerror(errno) +
             "): these tests need root, as the README's set-up and CI run them";
    }
  }
  ~SmallFilesystem() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }
  const std::string& path() const { return path_; }
  bool remount_read_only() const {
    return ::mount("tmpfs", path_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string why_;
};

// SIGKILL at twenty random moments: each time while `gazette index` writes all of
// Reuters (one writing lane or two; after the first run every article it writes
// replaces one stored before) or while `gazette compact` rewrites the index. After every
// kill the index opens and holds whole committed batches: its articles are a multiple
// of the batch size, each once, never fewer than before. A kill between a replacing
// commit's two steps (the new segment published, then the old copies deleted from older
// segments) leaves the deletions listed in the manifest; the first reader finishes them
// before it reads (core/segments.h), so no reader sees both copies: counted and reported
// here. A last run then completes to the exact input count, every article once.
TEST(KillNine, TwentyRandomMomentsKeepExactlyTheCommittedBatches) {
  TempDir dir;
  const std::string input = unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
  const std::string index = dir / "index";
  std::mt19937 random(fault_seed());
  constexpr std::size_t kBatch = 1000;
  std::size_t committed = 0;
  int kills = 0, completed = 0, compactions_killed = 0, left_copies = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const bool compact = trial % 4 == 3 && committed > 0;
    std::vector<std::string> args;
    if (compact) {
      args = {"compact", "-i", index};
    } else {
      args = {"index", "-q", "--keep-duplicates", "--batch-size", std::to_string(kBatch), "--shards",
              trial % 2 == 0 ? "1" : "2", "-i", index, input};
    }
    const auto moment = std::chrono::milliseconds(std::uniform_int_distribution<int>(50, compact ? 1500 : 6000)(random));
    const pid_t pid = spawn_gazette(args, dir / "log");
    std::this_thread::sleep_for(moment);
    ::kill(pid, SIGKILL);
    const int status = wait_status(pid);
    if (status == -SIGKILL) ++kills, compactions_killed += compact;
    else completed += status == 0;
    ASSERT_TRUE(status == -SIGKILL || status == 0) << "trial " << trial << ": exit " << status;
    left_copies += pending_deletions(index);

    const int count = article_count(index);
    ASSERT_GE(count, 0) << "trial " << trial << ": the index does not open after the kill";
    const auto [distinct, records] = distinct_ids(index);
    EXPECT_EQ(records, static_cast<std::size_t>(count)) << "trial " << trial;
    const std::string when = "trial " + std::to_string(trial) + " (killed after " + std::to_string(moment.count()) +
                             " ms" + (compact ? ", compacting" : "") + ")";
    EXPECT_TRUE(distinct % kBatch == 0 || distinct == kReutersArticles) << when << ": " << distinct
                                                                         << " articles is not whole batches";
    EXPECT_GE(distinct, committed) << when << ": committed articles were lost";
    if (compact) {
      EXPECT_EQ(distinct, committed) << when;
    }
    EXPECT_EQ(records, distinct) << when << ": a replaced article is visible twice";
    committed = distinct;
    const CommandResult search = run_gazette("search --json --limit 3 -i " + quote(index) + " oil");
    EXPECT_EQ(search.status, 0) << when << ": " << search.err;
  }
  std::printf("%d kills (%d during compaction), %d runs finished first; %zu articles committed; %d kills left "
              "replaced copies to delete, finished by the first reader\n",
              kills, compactions_killed, completed, committed, left_copies);
  EXPECT_GE(kills, 10);
  const CommandResult last = run_gazette("index -q --keep-duplicates -i " + quote(index) + " " + quote(input));
  EXPECT_EQ(last.status, 0) << last.err;
  EXPECT_EQ(article_count(index), kReutersArticles);
  EXPECT_EQ(distinct_ids(index), std::make_pair(std::size_t{kReutersArticles}, std::size_t{kReutersArticles}));
  EXPECT_EQ(run_gazette("compact -i " + quote(index)).status, 0);
  EXPECT_EQ(article_count(index), kReutersArticles);
}

// A disk that fills while `gazette index` writes: a clear error naming the index and the
// system's reason, a non-zero exit, and an index that opens with its last commit whole.
TEST(DiskFull, IndexingFailsClearlyAndKeepsTheLastCommit) {
  TempDir dir;
  SmallFilesystem disk(dir, 8);
  ASSERT_TRUE(disk.mounted()) << disk.why();
  const std::string input = unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
  const std::string index = disk.path() + "/index";
  const CommandResult run = run_gazette("index -q --keep-duplicates --batch-size 500 -i " + quote(index) + " " + quote(input));
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find(index), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("No space left on device"), std::string::npos) << run.err;
  const int count = article_count(index);
  EXPECT_GT(count, 0);
  EXPECT_EQ(count % 500, 0) << count;
  EXPECT_EQ(run_gazette("search --json --limit 1 -i " + quote(index) + " oil").status, 0);
}

// An index on a read-only file system: writing fails with the reason and says the index
// can still be searched; searching works, even with deletions a killed writer left noted
// (nobody can finish them there).
TEST(ReadOnly, WritingFailsClearlyAndSearchingWorks) {
  TempDir dir;
  SmallFilesystem disk(dir, 32);
  ASSERT_TRUE(disk.mounted()) << disk.why();
  const std::string index = disk.path() + "/index";
  const std::string sample = std::string(GAZETTE_SOURCE_DIR) + "/corpus/reuters-sample.jsonl";
  ASSERT_EQ(run_gazette("index -q -i " + quote(index) + " " + quote(sample)).status, 0);
  // As a writer killed in a replacing commit leaves the list: deletions noted, not done.
  // Nobody can finish them on a read-only index; readers open it as it stands.
  std::ofstream(fs::path(index) / "XAPIANDB", std::ios::app)
      << "#gazette pending-before \n#gazette pending-delete \"reuters21578-1\"\n";
  ASSERT_TRUE(pending_deletions(index));
  ASSERT_TRUE(disk.remount_read_only()) << std::strerror(errno);
  for (const std::string& command : {"index -q -i " + quote(index) + " " + quote(sample), "compact -i " + quote(index),
                                     "delete -i " + quote(index) + " reuters21578-1"}) {
    const CommandResult run = run_gazette(command);
    EXPECT_NE(run.status, 0) << command;
    EXPECT_NE(run.err.find("Read-only file system"), std::string::npos) << command << "\n" << run.err;
    EXPECT_NE(run.err.find(index), std::string::npos) << run.err;
  }
  EXPECT_EQ(article_count(index), 20);
  const CommandResult search = run_gazette("search --json -i " + quote(index) + " oil");
  EXPECT_EQ(search.status, 0) << search.err;
  EXPECT_GT(json::parse(search.out)["total"].get<int>(), 0);
}

// A directory walk over a missing file (a dangling link), an unreadable file and
// directory, a link loop and a file name that is not UTF-8: each problem is named, the
// walk ends, and every readable article is indexed.
TEST(Walk, MissingUnreadableLoopingAndOddlyNamedFiles) {
  TempDir dir;
  const fs::path articles = dir.path() / "articles";
  for (int i = 0; i < 5; ++i) {
    dir.write("articles/story-" + std::to_string(i) + ".txt",
              "Harbour story " + std::to_string(i) + "\n\nThe harbour authority said on Tuesday that quay " +
                  std::to_string(i) + " will open in the spring.\n");
  }
  dir.write("articles/caf\xe9-latin1-name.txt", "Caf\xc3\xa9 story\n\nA story whose file name is Latin-1, not UTF-8.\n");
  fs::create_symlink(articles / "gone.txt", articles / "dangling.txt");
  fs::create_directories(articles / "sub");
  fs::create_directory_symlink(articles, articles / "sub" / "loop");
  const std::string unreadable = dir.write("articles/secret.txt", "Secret\n\nNobody may read this file.\n");
  dir.write("articles/private/hidden-away.txt", "Away\n\nIn a directory nobody may read.\n");
  fs::permissions(unreadable, fs::perms::none);
  fs::permissions(articles / "private", fs::perms::none);
  fs::permissions(dir.path(), fs::perms::all);
  const std::string index = dir / "index";
  // Root reads any file: run the indexer as nobody where the test runs as root.
  const bool as_root = geteuid() == 0;
  std::string command = quote(GAZETTE_BINARY) + " index -q -i " + quote(index) + " " + quote(articles.string());
  if (as_root) {
    // setpriv is util-linux's, essential in Debian: its absence is a failure, not a skip.
    ASSERT_EQ(shell("command -v setpriv").status, 0) << "setpriv (util-linux) is needed to drop root";
    shell("chmod -R a+rwX " + quote(dir.path().string()) + " && chmod 000 " + quote(unreadable) + " " +
          quote((articles / "private").string()));
    command = "setpriv --reuid=65534 --regid=65534 --clear-groups " + command;
  }
  const CommandResult run = shell(command);
  EXPECT_EQ(run.status, 1) << run.err;  // Some inputs were skipped.
  EXPECT_NE(run.err.find("dangling.txt"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("secret.txt"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("Permission denied"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("private: cannot read directory"), std::string::npos) << run.err;
  EXPECT_EQ(article_count(index), 6);  // Five stories and the oddly named one, once each.
  const CommandResult found = run_gazette("search --json -i " + quote(index) + " latin");
  ASSERT_EQ(found.status, 0) << found.err;
  EXPECT_EQ(json::parse(found.out)["total"], 1);
}

// Each file of an index truncated to nothing, cut in half, or overwritten in its middle:
// a search then fails with an error naming the index (what Xapian found, passed on), or
// gives exactly the answer of the undamaged index. Never a crash, never a different
// answer presented as right.
TEST(Corruption, DamagedIndexFilesGiveAnErrorOrTheRightAnswer) {
  TempDir dir;
  const std::string sample = std::string(GAZETTE_SOURCE_DIR) + "/corpus/reuters-sample.jsonl";
  const std::string pristine = dir / "pristine";
  ASSERT_EQ(run_gazette("index -q -i " + quote(pristine) + " " + quote(sample)).status, 0);
  const std::string query = "search --json --limit 20 oil OR trade";
  const CommandResult expected = run_gazette(query + " -i " + quote(pristine));
  ASSERT_EQ(expected.status, 0);
  int errors = 0, unchanged = 0;
  for (const auto& entry : fs::recursive_directory_iterator(pristine)) {
    if (!entry.is_regular_file() || entry.file_size() == 0) continue;  // Lock files hold nothing.
    const fs::path relative = fs::relative(entry.path(), pristine);
    for (const std::string damage : {"empty", "half", "overwritten"}) {
      const std::string copy = dir / "damaged";
      fs::remove_all(copy);
      fs::copy(pristine, copy, fs::copy_options::recursive);
      const fs::path file = fs::path(copy) / relative;
      const auto size = fs::file_size(file);
      if (damage == "empty") fs::resize_file(file, 0);
      if (damage == "half") fs::resize_file(file, size / 2);
      if (damage == "overwritten") {
        std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
        out.seekp(static_cast<std::streamoff>(size / 2));
        const std::string garbage(std::min<std::uintmax_t>(64, size - size / 2), '\xff');
        out.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
      }
      const CommandResult run = run_gazette(query + " -i " + quote(copy));
      const std::string what = relative.string() + " " + damage;
      ASSERT_GE(run.status, 0) << what << ": the search crashed";
      if (run.status == 0) {
        EXPECT_EQ(run.out, expected.out) << what << ": a different answer was given as right";
        ++unchanged;
      } else {
        EXPECT_NE(run.err.find(copy), std::string::npos) << what << ": " << run.err;
        ++errors;
      }
    }
  }
  std::printf("damaged copies: %d gave an error naming the index, %d the undamaged answer\n", errors, unchanged);
  EXPECT_GT(errors, 0);
}

// `gazette search` over every article, run in a loop by `count` processes at a time
// (one thread each) until stop(): each total goes to `seen(searcher, total)` on that
// searcher's thread; failed searches are counted and printed.
class SearchProcesses {
 public:
  SearchProcesses(const std::string& index, int count, std::function<void(int searcher, int total)> seen)
      : seen_(std::move(seen)) {
    for (int s = 0; s < count; ++s) {
      threads_.emplace_back([this, index, s] {
        while (!stop_) {
          const CommandResult run = run_gazette("search --json --limit 1 -i " + quote(index) + " ''");
          ++searches_;
          if (run.status != 0) {
            ++failures_;
            std::fprintf(stderr, "search failed: %s\n", run.err.c_str());
            continue;
          }
          seen_(s, json::parse(run.out)["total"].get<int>());
        }
      });
    }
  }
  ~SearchProcesses() { stop(); }
  void stop() {
    stop_ = true;
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  int searches() const { return searches_; }
  int failures() const { return failures_; }

 private:
  std::function<void(int, int)> seen_;
  std::atomic<bool> stop_{false};
  std::atomic<int> searches_{0}, failures_{0};
  std::vector<std::thread> threads_;
};

// Four search processes loop while a writer commits batches of 100 for a while
// (GAZETTE_STRESS_SECONDS, 15 by default): no search fails, every total is a whole
// number of batches, and no searcher sees the count go down.
TEST(Concurrency, SearchProcessesWhileAWriterCommits) {
  TempDir dir;
  const std::string input = unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
  const std::string index = dir / "index";
  const char* given = std::getenv("GAZETTE_STRESS_SECONDS");
  const auto duration = std::chrono::seconds(given ? std::stoi(given) : 15);
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);  // Only the writer's stdin holds the read end.
  const pid_t writer =
      spawn_gazette({"index", "-q", "--keep-duplicates", "--batch-size", "100", "-i", index, "-"}, dir / "writer.log",
                    pipe_fds[0]);
  close(pipe_fds[0]);
  FILE* feed = fdopen(pipe_fds[1], "w");
  std::ifstream lines(input);
  std::string line;
  int fed = 0;  // Articles written to the writer.
  // Writes the next 100 articles; false when the input is used up.
  const auto feed_batch = [&] {
    int written = 0;
    while (written < 100 && std::getline(lines, line)) std::fputs((line + "\n").c_str(), feed), ++written;
    std::fflush(feed);
    fed += written;
    return written == 100;
  };
  feed_batch();
  for (int attempt = 0; attempt < 300 && !fs::exists(fs::path(index) / "XAPIANDB"); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::atomic<int> partial{0}, backwards{0};
  std::vector<int> last(4, 0);  // Each searcher's last total.
  SearchProcesses searchers(index, 4, [&](int searcher, int total) {
    partial += total % 100 != 0;
    backwards += total < last[searcher];
    last[searcher] = total;
  });
  // About 200 batches over the run (Reuters holds 215), one every 50 ms at least.
  const auto pause = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(50), duration / 200);
  const auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end && feed_batch()) std::this_thread::sleep_for(pause);
  searchers.stop();
  std::fclose(feed);
  EXPECT_EQ(wait_status(writer), 0);
  std::printf("%d searches by 4 processes while %d articles were committed in batches of 100\n", searchers.searches(),
              fed);
  EXPECT_GT(searchers.searches(), 20);
  EXPECT_EQ(searchers.failures(), 0);
  EXPECT_EQ(partial, 0) << "a search saw part of a batch";
  EXPECT_EQ(backwards, 0) << "a searcher saw the count go down";
  EXPECT_EQ(article_count(index), fed);
}

// Four search processes while a writer replaces every article of an index, 200 per
// commit: each commit publishes the new copies, then deletes the old ones from older
// segments. No search may see both copies (the total must stay the article count) or
// part of a deletion. Before readers waited for the deletions (core/segments.h), 86 of
// 176 reads in such a run counted a batch twice.
TEST(Concurrency, SearchProcessesWhileAWriterReplacesEveryArticle) {
  TempDir dir;
  const std::string input = unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
  const std::string some = dir / "some.jsonl";
  {
    std::ifstream in(input);
    std::ofstream out(some);
    std::string line;
    for (int n = 0; n < 5000 && std::getline(in, line); ++n) out << line << "\n";
  }
  const std::string index = dir / "index";
  ASSERT_EQ(run_gazette("index -q --keep-duplicates --batch-size 1000 -i " + quote(index) + " " + quote(some)).status, 0);
  ASSERT_EQ(article_count(index), 5000);
  const pid_t writer = spawn_gazette({"index", "-q", "--keep-duplicates", "--batch-size", "200", "-i", index, some},
                                     dir / "writer.log");
  std::atomic<int> wrong{0};
  SearchProcesses searchers(index, 4, [&](int, int total) {
    if (total != 5000) std::fprintf(stderr, "a search counted %d articles\n", total);
    wrong += total != 5000;
  });
  EXPECT_EQ(wait_status(writer), 0);
  searchers.stop();
  std::printf("%d searches by 4 processes while 5,000 articles were replaced in batches of 200\n",
              searchers.searches());
  EXPECT_GT(searchers.searches(), 10);
  EXPECT_EQ(searchers.failures(), 0);
  EXPECT_EQ(wrong, 0) << "a search saw a replaced article twice, or part of a deletion";
  EXPECT_EQ(article_count(index), 5000);
}

// A JSON Lines record of 100 MB: refused by the default size cap with a message naming
// file, line, size and the option; the next record is indexed.
TEST(BigInputs, HundredMegabyteRecordIsRefusedByTheCapWithItsReason) {
  TempDir dir;
  const std::string file = dir / "big.jsonl";
  {
    std::ofstream out(file);
    out << R"({"id":"big","title":"A very long article","date":"2020-01-01","body":")";
    const std::string words = "the harbour authority said the quay will open in spring ";
    for (std::size_t written = 0; written < (100u << 20); written += words.size()) out << words;
    out << "\"}\n" << R"({"id":"small","title":"Small","date":"2020-01-01","body":"A small article."})" << "\n";
  }
  const std::string index = dir / "index";
  const CommandResult run = run_gazette("index -q -i " + quote(index) + " " + quote(file));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("big.jsonl:1: record of"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--max-file-size"), std::string::npos) << run.err;
  EXPECT_EQ(article_count(index), 1);
}

}  // namespace
