// The gazette command line: a thin layer over the library (include/gazette/).
#include <iostream>

#include "cli/commands.h"
#include "gazette/errors.h"

int main(int argc, char** argv) {
  using namespace gazette::cli;
  CLI::App app{"Gazette: full-text search for article corpora", "gazette"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gazette 0.1.0");
  int exit_code = kExitOk;
  add_index_command(app, exit_code);
  add_extract_command(app, exit_code);
  add_search_command(app, exit_code);
  add_similar_command(app, exit_code);
  add_delete_command(app, exit_code);
  add_show_command(app, exit_code);
  add_stats_command(app, exit_code);
  add_compact_command(app, exit_code);
  add_eval_command(app, exit_code);
  add_timeline_command(app, exit_code);
  add_outlets_command(app, exit_code);
  add_export_command(app, exit_code);
  add_serve_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  } catch (const UsageError& error) {
    std::cerr << "gazette: " << error.what() << "\n";
    return kExitUsage;
  } catch (const gazette::QuerySyntaxError& error) {
    std::cerr << "gazette: " << error.what() << "\n";
    return kExitUsage;
  } catch (const gazette::QueryLimitError& error) {
    std::cerr << "gazette: " << error.what() << " (--max-query-terms)\n";
    return kExitUsage;
  } catch (const gazette::Error& error) {
    std::cerr << "gazette: " << error.what() << "\n";
    return kExitData;
  } catch (const std::exception& error) {
    std::cerr << "gazette: internal error: " << error.what() << "\n";
    return kExitData;
  }
  return exit_code;
}
