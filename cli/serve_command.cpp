// `gazette serve`: options, the token file, and signals for a graceful stop; the server
// itself is server/server.*.
#include <pthread.h>
#include <signal.h>

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

std::string read_token(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError("--token-file: cannot read " + path);
  std::stringstream content;
  content << file.rdbuf();
  std::string token = content.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.size() < 16 || token.find_first_of(" \t\r\n") != std::string::npos) {
    throw UsageError("--token-file: " + path + " must hold one token of at least 16 characters, no spaces");
  }
  return token;
}

int run_serve(ServeOptions& options) {
  const std::size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos) throw UsageError("--listen: expected HOST:PORT, got '" + options.listen + "'");
  options.server.host = options.listen.substr(0, colon);
  try {
    options.server.port = std::stoi(options.listen.substr(colon + 1));
  } catch (const std::exception&) {
    throw UsageError("--listen: expected HOST:PORT, got '" + options.listen + "'");
  }
  if (options.server.port < 0 || options.server.port > 65535) throw UsageError("--listen: no port " + options.listen);
  if (!options.token_file.empty()) options.server.token = read_token(options.token_file);
  options.server.max_body_bytes = options.max_body_mb << 20;
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
  command->add_option("--threads", options->server.threads, "Requests handled at once")->capture_default_str();
  command->add_option("--token-file", options->token_file,
                      "File holding the bearer token writes (POST, DELETE) need; without it writes are off");
  command->add_option("--max-body", options->max_body_mb, "Largest request body, in MiB")->capture_default_str();
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
