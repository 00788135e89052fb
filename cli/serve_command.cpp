// `gazette serve`: options, the token file, and signals for a graceful stop; the server
// itself is server/server.*.
#include <pthread.h>
#include <sys/stat.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "gazette/errors.h"
#include "server/server.h"

namespace gazette::cli {
namespace {

struct ServeOptions {
  server::ServerOptions server;
  std::string listen = "127.0.0.1:8080";
  std::string token_file;
  std::size_t max_body_mb = 64;
  bool quiet = false;
  unsigned lame_duck_ms = 500;
};

// The token of --token-file: refused when others may read the file (a token anyone
// on the machine can read guards nothing), or when it holds control bytes or spaces.
std::string read_token(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) throw UsageError("--token-file: cannot read " + path);
  if ((status.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw UsageError("--token-file: " + path + " may be read by other users (mode " +
                     std::to_string((status.st_mode >> 6) & 7) + std::to_string((status.st_mode >> 3) & 7) +
                     std::to_string(status.st_mode & 7) + "); chmod 600 it");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError("--token-file: cannot read " + path);
  std::stringstream content;
  content << file.rdbuf();
  std::string token = content.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  const bool printable = std::all_of(token.begin(), token.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if (token.size() < 16 || !printable) {
    throw UsageError("--token-file: " + path +
                     " must hold one token of at least 16 printable ASCII characters, no spaces or control bytes");
  }
  return token;
}

// HOST:PORT, [IPv6]:PORT; the port all digits, 0 to 65535.
void read_listen(const std::string& listen, server::ServerOptions& server) {
  const std::size_t colon = listen.rfind(':');
  const auto bad = [&] { return UsageError("--listen: expected HOST:PORT, got '" + listen + "'"); };
  if (colon == std::string::npos || colon == 0) throw bad();
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) throw bad();
  server.port = std::stoi(port);
  if (server.port > 65535) throw UsageError("--listen: no port " + port + " (0 to 65535)");
  server.host = listen.substr(0, colon);
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.starts_with("127.") || host == "::1" || host == "[::1]";
}

int run_serve(ServeOptions& options) {
  read_listen(options.listen, options.server);
  if (!options.token_file.empty()) options.server.token = read_token(options.token_file);
  options.server.max_body_bytes = options.max_body_mb << 20;
  if (!options.server.token.empty() && !is_loopback(options.server.host)) {
    std::fprintf(stderr,
                 "gazette serve: warning: writes are on and %s is not a loopback address: the token and the articles "
                 "cross the network in plain HTTP; put a TLS proxy in front (docs/http.md)\n",
                 options.server.host.c_str());
  }
  options.server.access_log = !options.quiet;
  options.server.lame_duck = std::chrono::milliseconds(options.lame_duck_ms);

  // SIGTERM and SIGINT stop the server gracefully: blocked in every thread, and waited
  // for by one.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  server::Server server(options.server);
  std::string names;
  for (const std::string& index : options.server.indexes) names += (names.empty() ? "" : ", ") + index;
  std::fprintf(stderr, "gazette serve: %s on http://%s:%d/ (%s)\n", names.c_str(),
               options.server.host.c_str(), server.port(),
               options.server.token.empty() ? "read-only" : "writes need the token");
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    if (received == 0) return;  // Woken by the server stopping on its own.
    std::fprintf(stderr, "gazette serve: %s, stopping\n", received == SIGTERM ? "SIGTERM" : "SIGINT");
    server.stop();
  });
  server.run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // No-op when the waiter already got one.
  waiter.join();
  std::fprintf(stderr, "gazette serve: stopped\n");
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* command = app.add_subcommand("serve", "HTTP JSON API and search page over an index (docs/http.md)");
  command->add_option("--index,-i", options->server.indexes,
                      "Index directory; repeat it to search several as one (writes go to the first)")
      ->required()
      ->allow_extra_args(false);
  command->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  command->add_option("--threads", options->server.threads, "Requests handled at once")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  command->add_option("--token-file", options->token_file,
                      "File holding the bearer token writes (POST, DELETE) need; without it writes are off");
  command->add_option("--max-body", options->max_body_mb, "Largest request body once decoded, in MiB")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  command->add_option("--public-host", options->server.public_hosts,
                      "A host name clients use for this server (repeatable); other names are refused (421), "
                      "IP addresses and localhost are always taken")
      ->allow_extra_args(false);
  command->add_option("--connection-timeout", options->server.connection_timeout_seconds,
                      "Close connections idle this many seconds")
      ->check(CLI::Range(1u, 3600u))
      ->capture_default_str();
  command->add_option("--max-query-terms", options->server.max_query_terms,
                      "Refuse queries searching more terms than this, wildcard expansions counted (0: no limit)")
      ->capture_default_str();
  command->add_flag("--quiet,-q", options->quiet, "No access log");
  command->add_option("--lame-duck", options->lame_duck_ms,
                      "On SIGTERM/SIGINT, answer 503 for this many milliseconds before closing the port")
      ->capture_default_str();
  command->callback([options, &exit_code] { exit_code = run_serve(*options); });
}

}  // namespace gazette::cli
