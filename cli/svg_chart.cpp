#include "cli/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace gazette::cli {
namespace {

// Colour-blind-safe palette (Okabe and Ito), then greys.
constexpr const char* kColours[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                    "#D55E00", "#F0E442", "#000000", "#999999", "#666666"};

std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

double value_of(const TimelinePoint& point, bool ratio) {
  return ratio ? point.ratio() : static_cast<double>(point.matches);
}

// A "nice" axis step (1, 2 or 5 times a power of ten) giving about `ticks` ticks up to `top`.
double nice_step(double top, int ticks) {
  if (top <= 0) return 1;
  const double raw = top / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= factor * magnitude) return factor * magnitude;
  }
  return 10 * magnitude;
}

std::string format_tick(double value, bool ratio) {
  char text[32];
  if (ratio) {
    std::snprintf(text, sizeof text, "%g%%", std::round(value * 1000.0) / 10.0);
  } else {
    std::snprintf(text, sizeof text, "%g", value);
  }
  return text;
}

}  // namespace

std::string timeline_svg(const Timeline& timeline, const ChartOptions& options) {
  std::vector<const TimelineSeries*> lines;
  for (std::size_t i = timeline.series.size() > 1 ? 1 : 0; i < timeline.series.size(); ++i) {
    lines.push_back(&timeline.series[i]);
  }
  const std::size_t buckets = timeline.series.empty() ? 0 : timeline.series.front().points.size();
  double top = 0;
  for (const TimelineSeries* series : lines) {
    for (const TimelinePoint& point : series->points) top = std::max(top, value_of(point, options.plot_ratio));
  }
  const double step = nice_step(top > 0 ? top : 1, 5);
  const double axis_top = std::max(step, std::ceil(top / step) * step);

  const int left = 70, right = 200, top_margin = 50, bottom = 60;
  const int plot_width = options.width - left - right, plot_height = options.height - top_margin - bottom;
  const auto x_of = [&](std::size_t i) {
    return left + (buckets <= 1 ? plot_width / 2.0 : plot_width * static_cast<double>(i) / static_cast<double>(buckets - 1));
  };
  const auto y_of = [&](double value) { return top_margin + plot_height * (1.0 - value / axis_top); };

  std::string svg;
  char buffer[512];
  std::snprintf(buffer, sizeof buffer,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "font-family=\"sans-serif\" font-size=\"12\">\n",
                options.width, options.height, options.width, options.height);
  svg += buffer;
  std::snprintf(buffer, sizeof buffer, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", options.width,
                options.height);
  svg += buffer;
  svg += "<text class=\"title\" x=\"" + std::to_string(options.width / 2) +
         "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">" + escape(options.title) + "</text>\n";

  // Y axis: grid lines and labels.
  svg += "<g class=\"y-axis\">\n";
  for (double value = 0; value <= axis_top + step / 2; value += step) {
    std::snprintf(buffer, sizeof buffer,
                  "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                  left, y_of(value), left + plot_width, y_of(value), left - 6, y_of(value) + 4,
                  format_tick(value, options.plot_ratio).c_str());
    svg += buffer;
  }
  std::snprintf(buffer, sizeof buffer,
                "<text class=\"axis-label\" transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
                top_margin + plot_height / 2,
                options.plot_ratio ? "share of articles in scope" : "matching articles");
  svg += buffer;
  svg += "</g>\n";

  // X axis: about eight date labels, evenly spread, first and last included.
  svg += "<g class=\"x-axis\">\n";
  std::snprintf(buffer, sizeof buffer, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", left,
                top_margin + plot_height, left + plot_width, top_margin + plot_height);
  svg += buffer;
  if (buckets > 0) {
    const std::size_t every = std::max<std::size_t>(1, (buckets + 7) / 8);
    for (std::size_t i = 0; i < buckets; ++i) {
      if (i % every != 0) continue;
      std::snprintf(buffer, sizeof buffer,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>"
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x_of(i), top_margin + plot_height, x_of(i), top_margin + plot_height + 5, x_of(i),
                    top_margin + plot_height + 20, escape(lines.front()->points[i].label).c_str());
      svg += buffer;
    }
  }
  std::snprintf(buffer, sizeof buffer, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">date</text>\n",
                left + plot_width / 2, options.height - 14);
  svg += buffer;
  svg += "</g>\n";

  // Gaps in the index (no article in scope), shaded: no data there.
  if (!timeline.series.empty() && buckets > 1) {
    const double half = plot_width / static_cast<double>(buckets - 1) / 2;
    for (std::size_t i = 0; i < buckets; ++i) {
      if (!timeline.series.front().points[i].gap()) continue;
      std::size_t end = i;
      while (end + 1 < buckets && timeline.series.front().points[end + 1].gap()) ++end;
      const double x0 = std::max<double>(left, x_of(i) - half), x1 = std::min<double>(left + plot_width, x_of(end) + half);
      std::snprintf(buffer, sizeof buffer,
                    "<rect class=\"gap\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f0f0f0\">"
                    "<title>no articles in scope: %s to %s</title></rect>\n",
                    x0, top_margin, x1 - x0, plot_height, escape(timeline.series.front().points[i].label).c_str(),
                    escape(timeline.series.front().points[end].label).c_str());
      svg += buffer;
      i = end;
    }
  }

  // One polyline per series, and the legend.
  for (std::size_t s = 0; s < lines.size(); ++s) {
    const char* colour = kColours[std::min(s, std::size(kColours) - 1)];
    // No value where no article is in scope (a gap, not a zero): the line breaks there.
    std::string points, dots;
    const auto flush = [&] {
      if (points.empty()) return;
      svg += "<polyline class=\"series\" data-name=\"" + escape(lines[s]->name) + "\" fill=\"none\" stroke=\"" +
             colour + "\" stroke-width=\"2\" points=\"" + points + "\"/>\n";
      points.clear();
    };
    for (std::size_t i = 0; i < buckets; ++i) {
      const TimelinePoint& point = lines[s]->points[i];
      if (point.gap()) {
        flush();
        continue;
      }
      std::snprintf(buffer, sizeof buffer, "%s%.1f,%.1f", points.empty() ? "" : " ", x_of(i),
                    y_of(value_of(point, options.plot_ratio)));
      points += buffer;
      std::snprintf(buffer, sizeof buffer, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
                    x_of(i), y_of(value_of(point, options.plot_ratio)), colour);
      dots += buffer;
    }
    flush();
    svg += dots + "\n";
  }
  svg += "<g class=\"legend\">\n";
  for (std::size_t s = 0; s < lines.size(); ++s) {
    const char* colour = kColours[std::min(s, std::size(kColours) - 1)];
    const int y = top_margin + 10 + static_cast<int>(s) * 18;
    std::snprintf(buffer, sizeof buffer,
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>",
                  left + plot_width + 16, y, left + plot_width + 36, y, colour);
    svg += buffer;
    std::string name = lines[s]->name;
    if (name.size() > 22) {
      std::size_t cut = 21;
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // Whole UTF-8 characters.
      name = name.substr(0, cut) + "…";
    }
    svg += "<text x=\"" + std::to_string(left + plot_width + 42) + "\" y=\"" + std::to_string(y + 4) + "\">" +
           escape(name) + " (" + std::to_string(lines[s]->matches) + ")</text>\n";
  }
  svg += "</g>\n</svg>\n";
  return svg;
}

std::string sparkline(const TimelineSeries& series, bool ratio) {
  static constexpr const char* kBlocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  double top = 0;
  for (const TimelinePoint& point : series.points) top = std::max(top, value_of(point, ratio));
  std::string out;
  for (const TimelinePoint& point : series.points) {
    if (point.gap()) {
      out += "\xC2\xB7";  // No data: a middle dot, not the blank of zero.
      continue;
    }
    const double value = value_of(point, ratio);
    if (value <= 0) {
      out += " ";
      continue;
    }
    const auto level = static_cast<std::size_t>(std::lround(value / top * 7.0));
    out += kBlocks[std::min<std::size_t>(level, 7)];
  }
  return out;
}

}  // namespace gazette::cli
