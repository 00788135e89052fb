// `gazette serve` for end-to-end tests: the process on a loopback port chosen at random
// (stopped when the test ends, by pid), and requests to it with cpp-httplib's client.
#pragma once

#include <csignal>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

extern char** environ;

// AddressSanitizer in the build: GCC says so with __SANITIZE_ADDRESS__, clang 15 only
// through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define GAZETTE_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GAZETTE_UNDER_ASAN 1
#endif
#endif
#ifndef GAZETTE_UNDER_ASAN
#define GAZETTE_UNDER_ASAN 0
#endif

namespace gazette::testing {

using nlohmann::json;

// The server answers a refused upload before reading its body and closes the
// connection: a client still writing then gets EPIPE, which must not kill the tests.
inline const bool kSigpipeIgnored = std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;

// A token file as an operator keeps one: readable by its owner only (the server
// refuses one that others may read).
inline void write_token(const std::string& path, const std::string& token) {
  { std::ofstream(path) << token; }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace);
}

// Starts a program with stdout and stderr to a file, and stdin from `input` (a pipe's
// read end, closed here once the child has it) or /dev/null. Returns its pid, or -1.
inline pid_t spawn(std::vector<std::string> args, const std::string& out, int input = -1, int close_in_child = -1) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (input >= 0) {
    posix_spawn_file_actions_adddup2(&actions, input, 0);
    posix_spawn_file_actions_addclose(&actions, input);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  if (close_in_child >= 0) posix_spawn_file_actions_addclose(&actions, close_in_child);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  if (input >= 0) ::close(input);
  return pid;
}

// A `gazette serve` process; stopped (SIGTERM, then SIGKILL) when destroyed.
class ServeProcess {
 public:
  ServeProcess(const std::string& index, const std::string& log, const std::vector<std::string>& extra = {}) : log_(log) {
    std::vector<std::string> args = {GAZETTE_BINARY, "serve", "-i", index, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = spawn(args, log);
    // The first line names the port: "gazette serve: INDEX on http://127.0.0.1:PORT/ (...)".
    const std::regex listening(R"(on http://127\.0\.0\.1:([0-9]+)/)");
    for (int waited = 0; pid_ > 0 && port_ == 0 && waited < 600; ++waited) {
      std::smatch match;
      const std::string text = this->log();
      if (std::regex_search(text, match, listening)) port_ = std::stoi(match[1]);
      else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~ServeProcess() {
    if (pid_ > 0 && !stopped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string log() const {
    std::ifstream file(log_);
    return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  // Sends SIGTERM and waits (up to `seconds`) for the exit status; -1 when it hangs.
  int terminate(int seconds = 20) {
    ::kill(pid_, SIGTERM);
    for (int waited = 0; waited < seconds * 20; ++waited) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        stopped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
  // Peak resident memory so far (VmHWM), in KiB.
  long peak_kib() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool stopped_ = false;
};

struct Reply {
  int status = 0;
  json body;
  std::string text;
  httplib::Headers headers;
  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

inline Reply reply_of(const httplib::Result& result, const std::string& target);

inline Reply get(int port, const std::string& target) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(120);
  return reply_of(client.Get(target), target);
}

// A write: POST with a body (DELETE when `content_type` is empty), `token` as bearer.
inline Reply send(int port, const std::string& target, const std::string& token, const std::string& body = {},
           const std::string& content_type = {}) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(600);  // A large write under the sanitizers takes minutes.
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  if (content_type.empty()) return reply_of(client.Delete(target, headers), target);
  return reply_of(client.Post(target, headers, body, content_type), target);
}

inline Reply reply_of(const httplib::Result& result, const std::string& target) {
  Reply reply;
  if (!result) {
    ADD_FAILURE() << target << ": " << httplib::to_string(result.error());
    return reply;
  }
  reply.status = result->status;
  reply.text = result->body;
  reply.headers = result->headers;
  if (result->get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    reply.body = json::parse(result->body, nullptr, false);
  }
  return reply;
}

inline std::string slurp(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

inline std::string encode(const std::string& value) { return httplib::detail::encode_query_param(value); }

}  // namespace gazette::testing
