// `gazette index`: read articles, report bad records one line each, store the rest,
// end with a summary.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/terminal.h"
#include "gazette/index_writer.h"
#include "gazette/reader.h"
#include "present/json.h"

namespace gazette::cli {
namespace {

struct IndexOptions {
  std::string index;
  std::vector<std::string> inputs;
  std::string format = "auto";
  std::string outlet;
  std::string date;
  bool date_from_file_time = false;
  std::string date_format;
  std::string lang;
  std::size_t batch_size = WriterOptions{}.batch_size;
  bool strict = false;
  bool quiet = false;
  bool compact = false;
  unsigned writers = 0;
  bool no_clean = false;
  bool keep_duplicates = false;
  std::vector<std::string> include_globs;
  std::vector<std::string> exclude_globs;
  std::string max_file_size = "10M";
};

// "10M", "512K", "2G", "1000000" -> bytes; "0" turns the cap off.
std::uint64_t parse_size(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw UsageError("--max-file-size: cannot read '" + text + "' (e.g. 10M, 512K, 0 for no cap)");
  }
  std::string unit = text.substr(used);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  double scale = 1;
  if (unit == "K" || unit == "k") scale = 1024;
  else if (unit == "M" || unit == "m") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "g") scale = 1024.0 * 1024 * 1024;
  else if (!unit.empty()) throw UsageError("--max-file-size: unknown unit in '" + text + "' (use K, M or G)");
  if (value < 0) throw UsageError("--max-file-size: must not be negative");
  return static_cast<std::uint64_t>(value * scale);
}

// Raised inside the read loop to stop at the first bad record under --strict.
struct StrictStop {};

// The reading options `index` and `extract` share.
ReadOptions read_options_of(const IndexOptions& options) {
  ReadOptions read_options;
  if (options.format == "jsonl") read_options.format = InputFormat::kJsonl;
  else if (options.format == "text") read_options.format = InputFormat::kText;
  else if (options.format == "html") read_options.format = InputFormat::kHtml;
  else if (options.format == "smart") read_options.format = InputFormat::kSmart;
  read_options.clean = !options.no_clean;
  read_options.include_globs = options.include_globs;
  read_options.exclude_globs = options.exclude_globs;
  read_options.max_article_bytes = parse_size(options.max_file_size);
  read_options.default_outlet = options.outlet;
  read_options.default_lang = options.lang;
  read_options.date_from_file_time = options.date_from_file_time;
  read_options.date_format = options.date_format;
  if (!options.date.empty()) {
    read_options.default_date = parse_date(options.date, &read_options.default_date_offset);
    if (!read_options.default_date) {
      throw UsageError("--date: cannot parse '" + options.date + "' (use YYYY-MM-DD or ISO 8601)");
    }
  }
  return read_options;
}

void add_read_options(CLI::App* command, IndexOptions& options) {
  command->add_option("--format", options.format, "Input format")
      ->check(CLI::IsMember({"auto", "jsonl", "text", "html", "smart"}))
      ->capture_default_str();
  command->add_option("--outlet", options.outlet, "Outlet for articles that name none");
  command->add_option("--date", options.date, "Date (ISO 8601) for articles that carry none");
  command->add_option("--lang", options.lang, "Language code for articles that name none");
  command->add_option("--date-format", options.date_format,
                      "Form of JSON Lines dates in none of the common forms (strptime's, e.g. %d/%m/%Y)");
  command->add_flag("--date-from-file-time", options.date_from_file_time,
                    "Date files whose content holds no date with their modification time "
                    "(marked as such; off by default: undated stays undated)");
  command->add_flag("--no-clean", options.no_clean,
                   "Index text files as written (title = first line) and pages without "
                   "boilerplate removal rules");
  command->add_option("--include", options.include_globs,
                      "In directories, read only files matching this glob (repeatable; any extension)")
      ->allow_extra_args(false);
  command->add_option("--exclude", options.exclude_globs, "In directories, skip files matching this glob (repeatable)")
      ->allow_extra_args(false);
  command->add_option("--max-file-size", options.max_file_size,
                      "Skip articles (files, JSON Lines records) larger than this; 0 = no cap")
      ->capture_default_str();
}

int run_index(const IndexOptions& options) {
  const ReadOptions read_options = read_options_of(options);

  WriterOptions writer_options;
  writer_options.batch_size = options.batch_size;
  writer_options.writers = options.writers;
  writer_options.deduplicate = !options.keep_duplicates;
  // Declared before the writer: the outcome callbacks below count into them.
  std::uint64_t added = 0, replaced = 0, duplicates = 0, skipped = 0, warned = 0, bytes = 0;
  auto writer_holder = std::make_unique<IndexWriter>(options.index, writer_options);
  IndexWriter& writer = *writer_holder;

  Progress progress(!options.quiet && stderr_is_terminal(), input_size(options.inputs, read_options));
  const auto start = std::chrono::steady_clock::now();
  bool stopped = false;
  try {
    read_articles(options.inputs, read_options, [&](ReadItem&& item) {
      bytes += item.bytes;
      if (const auto* error = std::get_if<InputError>(&item.result)) {
        progress.finish();
        std::cerr << "gazette: " << error->what() << "\n";
        ++skipped;
        if (options.strict) throw StrictStop{};
        return;
      }
      for (const InputError& warning : item.warnings) {
        progress.finish();
        std::cerr << "gazette: warning: " << warning.what() << "\n";
        ++warned;
      }
      // Analysis runs on worker threads; outcomes come back here in input order.
      writer.add_async(std::move(std::get<Article>(item.result)), [&](AddOutcome outcome) {
        if (outcome == AddOutcome::kAdded) ++added;
        else if (outcome == AddOutcome::kReplaced) ++replaced;
        else ++duplicates;
      });
      progress.update(added + replaced, bytes);
    });
  } catch (const StrictStop&) {
    stopped = true;
  }
  writer.commit();  // Everything read before a --strict stop is kept.
  progress.finish();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::uint64_t stored = added + replaced;
  std::printf("indexed %llu articles (%llu new, %llu replaced), skipped %llu, %llu exact duplicates "
              "not stored, in %.2fs (%.0f articles/s, %.1f MB/s); index holds %zu articles\n",
              static_cast<unsigned long long>(stored), static_cast<unsigned long long>(added),
              static_cast<unsigned long long>(replaced), static_cast<unsigned long long>(skipped),
              static_cast<unsigned long long>(duplicates),
              seconds, seconds > 0 ? stored / seconds : 0.0, seconds > 0 ? bytes / seconds / 1e6 : 0.0,
              writer.article_count());
  if (warned > 0) {
    std::fprintf(stderr, "gazette: %llu article%s indexed with a warning (see above)\n",
                 static_cast<unsigned long long>(warned), warned == 1 ? "" : "s");
  }
  if (stopped) std::fprintf(stderr, "gazette: stopped at the first error (--strict)\n");
  if (options.compact) {
    writer_holder.reset();  // Releases the write lock for compaction to take.
    const CompactResult compacted = compact_index(options.index);
    std::printf("compacted the index: %s -> %s\n", human_bytes(compacted.bytes_before).c_str(),
                human_bytes(compacted.bytes_after).c_str());
  }
  return skipped > 0 ? kExitData : kExitOk;
}

}  // namespace

void add_index_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<IndexOptions>();
  CLI::App* command = app.add_subcommand("index", "Add articles from files, directories or stdin (-)");
  command->add_option("--index,-i", options->index, "Index directory (created if missing)")->required();
  command->add_option("inputs", options->inputs, "JSON Lines files, text files, directories, or - for stdin")
      ->required();
  add_read_options(command, *options);
  command->add_flag("--keep-duplicates", options->keep_duplicates,
                   "Store exact duplicates and do not group near-duplicate stories");
  command->add_option("--batch-size", options->batch_size, "Articles per commit")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_flag("--strict", options->strict, "Stop at the first bad record");
  command->add_flag("--quiet,-q", options->quiet, "No progress display");
  command->add_flag("--compact", options->compact, "Compact the index when done (see gazette compact)");
  command->add_option("--writers,--shards", options->writers,
                      "Writing threads, each writing its own segments (0: one per core)")
      ->check(CLI::Range(0u, 64u))
      ->capture_default_str();
  command->callback([options, &exit_code] { exit_code = run_index(*options); });
}

// `gazette extract`: what `gazette index` would store, printed instead of stored.
void add_extract_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<IndexOptions>();
  CLI::App* command = app.add_subcommand(
      "extract", "Print the articles read from files as gazette index would store them (JSON Lines), without indexing");
  command->add_option("inputs", options->inputs, "JSON Lines files, text files, pages, directories, or - for stdin")
      ->required();
  add_read_options(command, *options);
  command->callback([options, &exit_code] {
    const ReadOptions read_options = read_options_of(*options);
    std::size_t skipped = 0;
    read_articles(options->inputs, read_options, [&](ReadItem&& item) {
      if (const auto* error = std::get_if<InputError>(&item.result)) {
        // In the output too, so that line N of the output is the N-th record read.
        std::cerr << "gazette: " << error->what() << "\n";
        const present::Json line = {
            {"error", {{"file", error->file()}, {"line", error->line()}, {"message", error->message()}}}};
        std::cout << present::json_text(line) << "\n";
        ++skipped;
        return;
      }
      for (const InputError& warning : item.warnings) std::cerr << "gazette: warning: " << warning.what() << "\n";
      std::cout << present::json_text(present::article_json(std::get<Article>(item.result))) << "\n";
    });
    std::cout.flush();
    exit_code = skipped > 0 ? kExitData : kExitOk;
  });
}

}  // namespace gazette::cli
