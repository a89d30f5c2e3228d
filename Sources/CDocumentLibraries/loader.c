#include "CDocumentLibraries.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/// The first of `names` that dlopen loads, or NULL with every name's failure in `error`.
static void *open_first(const char *const *names, char *error, size_t size) {
    size_t used = 0;
    error[0] = 0;
    for (const char *const *name = names; *name; name++) {
        void *handle = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
        if (handle) return handle;
        const char *why = dlerror();
        int n = snprintf(error + used, size - used, "%s%s", used ? "; " : "", why ? why : *name);
        if (n > 0) used += (size_t)n < size - used ? (size_t)n : size - used - 1;
    }
    return NULL;
}

/// Looks `name` up in `handle` and the libraries it depends on.
static int resolve(void *handle, const char *library, const char *name, void **slot, char *error, size_t size) {
    dlerror();
    void *symbol = dlsym(handle, name);
    if (!symbol) {
        const char *why = dlerror();
        snprintf(error, size, "%s has no function %s (%s)", library, name, why ? why : "not found");
        return -1;
    }
    *slot = symbol;
    return 0;
}

// The handles stay open for the life of the process: the functions are kept.
#define RESOLVE(handle, library, field, failure) \
    if (resolve(handle, library, #field, (void **)&out->field, error, size) != 0) return failure;
#define POPPLER(field) RESOLVE(h, "libpoppler-glib", field, -1)
#define LEPTONICA(field) RESOLVE(l, "Leptonica", field, -1)
#define TESSERACT(field) RESOLVE(t, "libtesseract", field, -2)

static int poppler_load(const char *const *names, HubPoppler *out, char *error, size_t size) {
    void *h = open_first(names, error, size);
    if (!h) return -1;
    POPPLER(g_bytes_new) POPPLER(g_bytes_unref) POPPLER(g_error_free) POPPLER(g_object_unref) POPPLER(g_free)
    POPPLER(poppler_document_new_from_bytes) POPPLER(poppler_document_get_n_pages) POPPLER(poppler_document_get_page)
    POPPLER(poppler_page_get_size) POPPLER(poppler_page_get_text) POPPLER(poppler_page_get_text_layout) POPPLER(poppler_page_render)
    POPPLER(cairo_image_surface_create) POPPLER(cairo_surface_destroy) POPPLER(cairo_surface_flush) POPPLER(cairo_image_surface_get_data)
    POPPLER(cairo_image_surface_get_stride) POPPLER(cairo_create) POPPLER(cairo_destroy) POPPLER(cairo_set_source_rgb)
    POPPLER(cairo_paint) POPPLER(cairo_scale) POPPLER(poppler_page_get_image_mapping) POPPLER(poppler_page_free_image_mapping)
    POPPLER(poppler_page_get_image) POPPLER(cairo_image_surface_get_width)
    return 0;
}

static int tesseract_load(const char *const *leptonica, const char *const *tesseract, HubTesseract *out, char *error, size_t size) {
    void *l = open_first(leptonica, error, size);
    if (!l) return -1;
    LEPTONICA(setMsgSeverity) LEPTONICA(pixCreate) LEPTONICA(pixDestroy) LEPTONICA(pixReadHeaderMem) LEPTONICA(pixReadMem)
    LEPTONICA(pixGetWidth) LEPTONICA(pixGetHeight) LEPTONICA(pixGetXRes) LEPTONICA(pixGetWpl) LEPTONICA(pixGetData)
    LEPTONICA(pixSetResolution) LEPTONICA(pixConvertTo8) LEPTONICA(pixScaleGrayLI) LEPTONICA(pixDeskew)
    LEPTONICA(pixMedianFilter)
    void *t = open_first(tesseract, error, size);
    if (!t) return -2;
    TESSERACT(TessBaseAPICreate) TESSERACT(TessBaseAPIDelete) TESSERACT(TessBaseAPIEnd) TESSERACT(TessBaseAPISetVariable)
    TESSERACT(TessBaseAPIInit3) TESSERACT(TessBaseAPISetPageSegMode) TESSERACT(TessBaseAPISetImage2)
    TESSERACT(TessBaseAPISetSourceResolution) TESSERACT(TessBaseAPIRecognize) TESSERACT(TessBaseAPIClear)
    TESSERACT(TessBaseAPIGetIterator) TESSERACT(TessMonitorCreate) TESSERACT(TessMonitorDelete)
    TESSERACT(TessMonitorSetCancelFunc) TESSERACT(TessMonitorSetCancelThis)
    TESSERACT(TessResultIteratorDelete) TESSERACT(TessResultIteratorNext) TESSERACT(TessResultIteratorGetPageIterator)
    TESSERACT(TessResultIteratorGetUTF8Text) TESSERACT(TessResultIteratorConfidence) TESSERACT(TessPageIteratorBoundingBox)
    TESSERACT(TessDeleteText)
    return 0;
}

HubPoppler *hub_poppler_load(const char *const *names, char *error, size_t size) {
    HubPoppler *out = calloc(1, sizeof *out);
    if (!out) { snprintf(error, size, "out of memory"); return NULL; }
    if (poppler_load(names, out, error, size) == 0) return out;
    free(out);
    return NULL;
}

HubTesseract *hub_tesseract_load(const char *const *leptonica, const char *const *tesseract, int *failed, char *error, size_t size) {
    HubTesseract *out = calloc(1, sizeof *out);
    if (!out) { snprintf(error, size, "out of memory"); *failed = -1; return NULL; }
    *failed = tesseract_load(leptonica, tesseract, out, error, size);
    if (*failed == 0) return out;
    free(out);
    return NULL;
}

int64_t hub_thread_cpu_nanoseconds(void) {
    struct timespec now;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0;
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

_Bool hub_thread_cpu_reached(void *stopAt, int words) {
    (void)words;
    return stopAt != NULL && hub_thread_cpu_nanoseconds() >= *(const int64_t *)stopAt;
}
