// poppler's GLib interface (text with glyph boxes, page rendering through cairo) and zlib, which
// the Documents target uses to measure a PDF's compressed streams before poppler sees them.
// Reached only through the Documents target.
#ifndef CUSTOMSHUB_CPOPPLER_SHIM_H
#define CUSTOMSHUB_CPOPPLER_SHIM_H
#include <poppler.h>
#include <cairo.h>
#include <zlib.h>
#endif
