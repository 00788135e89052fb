// `gazette delete`, `gazette show` and `gazette stats`: managing and inspecting an index.
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/terminal.h"
#include "present/json.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"

namespace gazette::cli {
namespace {

using json = nlohmann::ordered_json;

struct IdOptions {
  std::string index;
  std::vector<std::string> ids;
  bool json_output = false;
};

int run_delete(const IdOptions& options) {
  WriterOptions writer_options;
  writer_options.create = false;
  IndexWriter writer(options.index, writer_options);
  std::size_t deleted = 0, missing = 0;
  for (const std::string& id : options.ids) {
    if (writer.remove(id)) {
      ++deleted;
    } else {
      ++missing;
      std::cerr << "gazette: no article with id '" << id << "'\n";
    }
  }
  writer.commit();
  std::printf("deleted %zu articles, %zu not found; index holds %zu articles\n", deleted, missing,
              writer.article_count());
  return missing > 0 ? kExitData : kExitOk;
}

int run_show(const IdOptions& options) {
  const Searcher searcher(options.index);
  int status = kExitOk;
  for (const std::string& id : options.ids) {
    const std::optional<Article> article = searcher.get(id);
    if (!article) {
      std::cerr << "gazette: no article with id '" << id << "'\n";
      status = kExitData;
      continue;
    }
    if (options.json_output) {
      std::cout << present::article_json(*article).dump(2) << "\n";
      continue;
    }
    std::printf("%s\n", article->title.c_str());
    const std::string date = article->date ? format_timestamp(*article->date, article->date_offset) +
                                                 (article->date_source.empty() ? "" : " (" + article->date_source + ")")
                                           : "undated";
    std::printf("id: %s\noutlet: %s\ndate: %s\n", article->id.c_str(), article->outlet.c_str(), date.c_str());
    if (!article->url.empty()) std::printf("url: %s\n", article->url.c_str());
    if (!article->authors.empty()) std::printf("authors: %s\n", json(article->authors).dump().c_str());
    std::printf("lang: %s\n", article->lang.c_str());
    if (!article->story.empty()) std::printf("story: %s\n", article->story.c_str());
    for (const auto& [name, value] : article->extra) std::printf("%s: %s\n", name.c_str(), value.c_str());
    for (const auto& [field, how] : article->provenance) std::printf("found %s: %s\n", field.c_str(), how.c_str());
    std::printf("\n%s\n", article->body.c_str());
    if (!article->comments.empty()) std::printf("\n--- comments ---\n%s\n", article->comments.c_str());
  }
  return status;
}

struct StatsOptions {
  std::string index;
  std::size_t top = 10;
  bool json_output = false;
};

int run_stats(const StatsOptions& options) {
  const Searcher searcher(options.index);
  const IndexStats stats = searcher.stats(options.top);
  if (options.json_output) {
    std::cout << present::stats_json(stats).dump(2) << "\n";
    return kExitOk;
  }
  std::printf("articles:   %zu\n", stats.articles);
  if (stats.first_date) {
    std::printf("dates:      %s .. %s\n", format_day(*stats.first_date).c_str(), format_day(*stats.last_date).c_str());
  }
  std::printf("undated:    %zu\n", stats.undated);
  std::printf("outlets:    %zu\n", stats.outlet_count);
  std::printf("index size: %s\n", human_bytes(stats.size_bytes).c_str());
  if (!stats.top_outlets.empty()) {
    std::printf("top outlets:\n");
    for (const FacetValue& value : stats.top_outlets) std::printf("  %7zu  %s\n", value.count, value.value.c_str());
  }
  return kExitOk;
}

int run_compact(const std::string& index) {
  const CompactResult result = compact_index(index);
  std::printf("compacted %s: %s -> %s\n", index.c_str(), human_bytes(result.bytes_before).c_str(),
              human_bytes(result.bytes_after).c_str());
  return kExitOk;
}

}  // namespace

void add_compact_command(CLI::App& app, int& exit_code) {
  auto index = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("compact", "Rewrite an index compactly (smaller, often faster)");
  command->add_option("--index,-i", *index, "Index directory")->required();
  command->callback([index, &exit_code] { exit_code = run_compact(*index); });
}

void add_delete_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<IdOptions>();
  CLI::App* command = app.add_subcommand("delete", "Remove articles by id");
  command->add_option("--index,-i", options->index, "Index directory")->required();
  command->add_option("ids", options->ids, "Article ids")->required();
  command->callback([options, &exit_code] { exit_code = run_delete(*options); });
}

void add_show_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<IdOptions>();
  CLI::App* command = app.add_subcommand("show", "Print stored articles by id");
  command->add_option("--index,-i", options->index, "Index directory")->required();
  command->add_option("ids", options->ids, "Article ids")->required();
  command->add_flag("--json", options->json_output, "JSON output, one object per article");
  command->callback([options, &exit_code] { exit_code = run_show(*options); });
}

void add_stats_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<StatsOptions>();
  CLI::App* command = app.add_subcommand("stats", "Article count, date span, top outlets, size");
  command->add_option("--index,-i", options->index, "Index directory")->required();
  command->add_option("--top", options->top, "Outlets to list")->capture_default_str();
  command->add_flag("--json", options->json_output, "JSON output");
  command->callback([options, &exit_code] { exit_code = run_stats(*options); });
}

}  // namespace gazette::cli
