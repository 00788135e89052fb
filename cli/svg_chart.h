// The "present" stage for charts: a timeline as a standalone SVG line chart (one line
// per series, labelled axes with dates, a legend, the query as title), written as
// plain text so it needs no graphics library and opens in any browser.
#pragma once

#include <string>

#include "gazette/analytics.h"

namespace gazette::cli {

struct ChartOptions {
  std::string title;         // Shown on top (the query).
  bool plot_ratio = false;   // Plot matches / articles in scope instead of match counts.
  int width = 960;
  int height = 480;
};

// The chart of `timeline`: its outlet series (top outlets and "other") when it was
// split by outlet, else its one "all" series. Plotting the ratio, a line breaks where
// no article is in scope (no value), rather than dropping to zero.
std::string timeline_svg(const Timeline& timeline, const ChartOptions& options);

// Unicode block sparkline of a series' values (matches or ratio), "▁▂▃▄▅▆▇█".
std::string sparkline(const TimelineSeries& series, bool ratio);

}  // namespace gazette::cli
