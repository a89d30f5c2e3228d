// Tesseract's C API and the Leptonica image functions it reads from (decoding, header probes,
// deskew, binarisation). Reached only through the Documents target.
#ifndef CUSTOMSHUB_CTESSERACT_SHIM_H
#define CUSTOMSHUB_CTESSERACT_SHIM_H
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>
#endif
