// `gazette timeline`, `gazette outlets` and `gazette export`: coverage analytics over
// the matches of a query, as a readable table (with bars on a terminal), JSON or CSV;
// timeline charts as SVG. Formats are described in docs/analytics.md.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>


#include "cli/commands.h"
#include "present/csv.h"
#include "present/json.h"
#include "cli/scope.h"
#include "cli/svg_chart.h"
#include "cli/terminal.h"
#include "gazette/analytics.h"
#include "gazette/errors.h"

namespace gazette::cli {
namespace {


struct OutputOptions {
  bool json_output = false;
  bool csv_output = false;
};

void add_output_options(CLI::App* command, OutputOptions& options) {
  auto* json_flag = command->add_flag("--json", options.json_output, "JSON output (docs/analytics.md)");
  auto* csv_flag = command->add_flag("--csv", options.csv_output, "CSV output (RFC 4180, UTF-8)");
  json_flag->excludes(csv_flag);
}

std::string percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", share * 100.0);
  return text;
}

std::string describe_query(const SearchRequest& request) {
  return request.query.empty() ? std::string("every article") : "\"" + request.query + "\"";
}

// --- timeline

struct TimelineOptions {
  ScopeOptions scope;
  OutputOptions output;
  std::string by = "month";
  std::size_t per_outlet = 0;
  std::string svg;
  std::string plot = "matches";
};

void print_timeline(const SearchRequest& request, TimeBucket by, const Timeline& timeline, bool ratio, bool terminal) {
  const char* bold = terminal ? kBold : "";
  const char* dim = terminal ? kDim : "";
  const char* reset = terminal ? kReset : "";
  std::printf("%s by %s: %zu %s of %zu articles in scope\n", describe_query(request).c_str(), present::bucket_name(by),
              timeline.matches, timeline.matches == 1 ? "match" : "matches", timeline.in_scope);
  if (timeline.undated_matches > 0 || timeline.undated_in_scope > 0) {
    std::printf("undated (in no bucket): %zu matches of %zu articles\n", timeline.undated_matches,
                timeline.undated_in_scope);
  }
  if (timeline.series.empty() || timeline.series.front().points.empty()) return;
  const TimelineSeries& all = timeline.series.front();
  if (timeline.series.size() > 1) {
    std::printf("\n%s%-24s %8s  %s%s\n", bold, "series", "matches", ratio ? "share of its articles, by bucket" : "matches by bucket", reset);
    for (const TimelineSeries& series : timeline.series) {
      std::string name = series.name.size() > 24 ? series.name.substr(0, 23) + "~" : series.name;
      std::printf("%-24s %8zu  %s\n", name.c_str(), series.matches, sparkline(series, ratio).c_str());
    }
  }
  double largest = 0;
  for (const TimelinePoint& point : all.points) largest = std::max(largest, ratio ? point.ratio() : static_cast<double>(point.matches));
  std::printf("\n%s%-10s %8s %9s %7s%s\n", bold, "bucket", "matches", "in scope", "ratio", reset);
  const std::vector<TimelinePoint>& points = all.points;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const TimelinePoint& point = points[i];
    if (point.gap()) {
      // No article in scope: no data, shown as such; a run of them is one line.
      std::size_t end = i;
      while (end + 1 < points.size() && points[end + 1].gap()) ++end;
      const std::size_t count = end - i + 1;
      if (count == 1) {
        std::printf("%s%-10s %8s %9s %7s%s\n", dim, point.label.c_str(), "", "", "no data", reset);
      } else {
        std::printf("%s%-10s .. %s: %zu %ss with no articles in scope (a gap, not zero)%s\n", dim, point.label.c_str(),
                    points[end].label.c_str(), count, present::bucket_name(by), reset);
      }
      i = end;
      continue;
    }
    const double value = ratio ? point.ratio() : static_cast<double>(point.matches);
    const auto width = largest > 0 ? static_cast<std::size_t>(value / largest * 40.0 + 0.5) : 0;
    std::string bar;
    for (std::size_t i = 0; i < width; ++i) bar += terminal ? "█" : "#";
    std::printf("%-10s %8zu %9zu %7s %s\n", point.label.c_str(), point.matches, point.in_scope,
                percent(point.ratio()).c_str(), bar.c_str());
  }
}

int run_timeline(const TimelineOptions& options) {
  TimelineRequest request;
  request.search = scope_request(options.scope);
  request.by = present::bucket_from_name(options.by).value_or(TimeBucket::kMonth);
  request.per_outlet = options.per_outlet;
  const Searcher searcher(options.scope.indexes);
  const Timeline timeline = searcher.timeline(request);
  if (!options.output.json_output) warn_query_notes(timeline.notes);
  const bool ratio = options.plot == "ratio";
  if (!options.svg.empty()) {
    ChartOptions chart;
    chart.title = (request.search.query.empty() ? std::string("All articles") : request.search.query) + " — by " +
                  present::bucket_name(request.by) + (ratio ? ", share of articles" : ", matching articles");
    chart.plot_ratio = ratio;
    std::ofstream out(options.svg, std::ios::binary);
    out << timeline_svg(timeline, chart);
    if (!out) throw Error("cannot write " + options.svg);
  }
  if (options.output.json_output) {
    std::cout << present::timeline_json(request, timeline).dump(2) << "\n";
  } else if (options.output.csv_output) {
    present::write_csv_row(std::cout, {"series", "bucket", "start", "matches", "in_scope", "ratio"});
    for (const TimelineSeries& series : timeline.series) {
      for (const TimelinePoint& point : series.points) {
        present::write_csv_row(std::cout, {series.name, point.label, format_day(point.start), std::to_string(point.matches),
                                  std::to_string(point.in_scope), point.gap() ? "" : present::number(point.ratio())});
      }
    }
  } else {
    print_timeline(request.search, request.by, timeline, ratio, stdout_is_terminal());
  }
  return kExitOk;
}

// --- outlets

struct OutletsOptions {
  ScopeOptions scope;
  OutputOptions output;
  std::size_t limit = 20;
  std::string by = "outlet";
};

int run_outlets(const OutletsOptions& options) {
  OutletsRequest request;
  request.search = scope_request(options.scope);
  request.limit = options.limit;
  request.by_collection = options.by == "collection";
  if (request.by_collection) request.collections = read_collections(collections_path(options.scope));
  const Searcher searcher(options.scope.indexes);
  const OutletsReport report = searcher.outlets(request);
  if (!options.output.json_output) warn_query_notes(report.notes);
  const char* unit = request.by_collection ? "collection" : "outlet";
  if (options.output.json_output) {
    std::cout << present::outlets_json(request, report).dump(2) << "\n";
  } else if (options.output.csv_output) {
    present::write_csv_row(std::cout, {unit, "matches", "articles", "share_of_matches", "share_of_output"});
    for (const OutletCoverage& row : report.outlets) {
      present::write_csv_row(std::cout, {row.name, std::to_string(row.matches), std::to_string(row.articles),
                                present::number(row.share_of_matches), present::number(row.share_of_output)});
    }
  } else {
    const bool terminal = stdout_is_terminal();
    std::printf("%s: %zu %s from %zu %s%s\n", describe_query(request.search).c_str(), report.matches,
                report.matches == 1 ? "match" : "matches", report.outlet_count, unit,
                report.outlet_count == 1 ? "" : "s");
    if (report.outlets.empty()) return kExitOk;
    std::printf("\n%s%4s  %-32s %8s %9s %9s %10s%s\n", terminal ? kBold : "", "rank", unit, "matches", "of all",
                "articles", "of its own", terminal ? kReset : "");
    std::size_t rank = 0;
    for (const OutletCoverage& row : report.outlets) {
      std::string name = row.name.size() > 32 ? row.name.substr(0, 31) + "~" : row.name;
      std::printf("%4zu  %-32s %8zu %9s %9zu %10s\n", ++rank, name.c_str(), row.matches,
                  percent(row.share_of_matches).c_str(), row.articles, percent(row.share_of_output).c_str());
    }
  }
  return kExitOk;
}

// --- export

struct ExportOptions {
  ScopeOptions scope;
  std::string format = "jsonl";
  std::string order;  // Empty: relevance with a query, newest first without.
  std::vector<std::string> fields = {"id", "url", "title", "outlet", "date", "score"};
  std::string output;
};

int run_export(const ExportOptions& options) {
  try {
    present::check_export_fields(options.fields);
  } catch (const std::invalid_argument& error) {
    throw UsageError(std::string("--fields: ") + error.what());
  }
  SearchRequest request = scope_request(options.scope);
  request.include_body = std::find(options.fields.begin(), options.fields.end(), "body") != options.fields.end();
  const std::string order_name = !options.order.empty() ? options.order : request.query.empty() ? "date" : "relevance";
  const ExportOrder order = order_name == "date"       ? ExportOrder::kDateNewest
                            : order_name == "date-asc" ? ExportOrder::kDateOldest
                            : order_name == "index"    ? ExportOrder::kIndex
                                                       : ExportOrder::kRelevance;
  std::ofstream file;
  if (!options.output.empty()) {
    file.open(options.output, std::ios::binary);
    if (!file) throw Error("cannot write " + options.output);
  }
  std::ostream& out = options.output.empty() ? std::cout : file;
  const bool csv = options.format == "csv";
  if (csv) present::write_csv_row(out, options.fields);
  const Searcher searcher(options.scope.indexes);
  warn_query_notes(searcher.query_notes(request));
  Progress progress(stderr_is_terminal() && (!options.output.empty() || !stdout_is_terminal()), std::nullopt);
  std::size_t written = 0;
  const std::size_t total = searcher.export_matches(request, order, [&](const Hit& hit) {
    if (csv) {
      std::vector<std::string> row;
      for (const std::string& field : options.fields) row.push_back(present::export_field_text(hit, field));
      present::write_csv_row(out, row);
    } else {
      present::Json object = present::Json::object();
      for (const std::string& field : options.fields) object[field] = present::export_field_json(hit, field);
      out << object.dump() << "\n";
    }
    progress.update(++written, 0);
    return static_cast<bool>(out);
  });
  progress.finish();
  out.flush();
  if (!out) throw Error("writing the export failed" + (options.output.empty() ? std::string() : ": " + options.output));
  if (!options.output.empty() || !stdout_is_terminal()) {
    if (stderr_is_terminal()) std::fprintf(stderr, "exported %zu articles\n", total);
  }
  return kExitOk;
}

}  // namespace

void add_timeline_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TimelineOptions>();
  CLI::App* command =
      app.add_subcommand("timeline", "Matching articles per day, week, month or year, against all articles in scope");
  add_scope_options(command, options->scope, true);
  command->add_option("--by", options->by, "Bucket size (weeks are ISO 8601, Monday to Sunday)")
      ->check(CLI::IsMember({"day", "week", "month", "year"}))
      ->capture_default_str();
  command->add_option("--per-outlet", options->per_outlet, "Split by the N outlets with most matches, plus \"other\"")
      ->capture_default_str();
  command->add_option("--svg", options->svg, "Also write the chart as an SVG file");
  command->add_option("--plot", options->plot, "What the bars and the chart show")
      ->check(CLI::IsMember({"matches", "ratio"}))
      ->capture_default_str();
  add_output_options(command, options->output);
  command->callback([options, &exit_code] { exit_code = run_timeline(*options); });
}

void add_outlets_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<OutletsOptions>();
  CLI::App* command = app.add_subcommand("outlets", "Outlets ranked by matching articles, with their shares");
  add_scope_options(command, options->scope, true);
  command->add_option("--limit,-n", options->limit, "Rows to show (0: all)")->capture_default_str();
  command->add_option("--by", options->by, "Rows per outlet or per collection (--collections file)")
      ->check(CLI::IsMember({"outlet", "collection"}))
      ->capture_default_str();
  add_output_options(command, options->output);
  command->callback([options, &exit_code] { exit_code = run_outlets(*options); });
}

void add_export_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command = app.add_subcommand("export", "Every matching article, streamed as JSON Lines or CSV");
  add_scope_options(command, options->scope, true);
  command->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->capture_default_str();
  command->add_option("--order", options->order, "relevance (default with a query), date (newest first, the default "
                                                   "without), date-asc, or index (the order articles were added)")
      ->check(CLI::IsMember({"relevance", "date", "date-asc", "index"}));
  command->add_option("--fields", options->fields,
                      "Comma-separated columns: id,url,title,outlet,date,score,rank,authors,tags,lang,story,body")
      ->delimiter(',')
      ->capture_default_str();
  command->add_option("--output,-o", options->output, "Write to this file instead of standard output");
  command->callback([options, &exit_code] { exit_code = run_export(*options); });
}

}  // namespace gazette::cli
