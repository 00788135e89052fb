// Outlet names: a small built-in table of common news hosts and agency names, used
// when a page or a scraped text names its outlet only by URL, by-line or title suffix.
#pragma once

#include <string>
#include <string_view>

namespace gazette::indexer::clean {

// The outlet name for a URL's host: the table's name ("www.reuters.com" -> "Reuters"),
// else the host without "www.". Empty when `url` has no host.
std::string outlet_from_url(std::string_view url);

// The table's spelling of a known outlet or agency name ("reuters", "AP" -> "Reuters",
// "Associated Press"), or empty when `name` is not one.
std::string known_outlet(std::string_view name);

// The lower-cased host of an absolute URL, empty when there is none.
std::string host_of(std::string_view url);

}  // namespace gazette::indexer::clean
