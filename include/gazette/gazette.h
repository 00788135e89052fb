// The whole public API of Gazette in one include.
#pragma once

#include "gazette/analytics.h"
#include "gazette/article.h"
#include "gazette/errors.h"
#include "gazette/eval.h"
#include "gazette/index_writer.h"
#include "gazette/reader.h"
#include "gazette/search.h"
