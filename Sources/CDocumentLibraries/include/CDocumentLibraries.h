// poppler (with GLib, GObject and cairo) and Tesseract/Leptonica, opened with dlopen the first time a
// document is read, not linked into the programs: a command that reads no document does not load
// the 78 libraries they bring (about 18 ms of every start of the debug binary). The types are
// declared here by hand from the libraries' public C headers (poppler-glib 22+, cairo 1.x, GLib 2,
// Tesseract 4/5 C API, Leptonica 1.7x-1.8x); only opaque pointers, plain structs and ints cross.
// Reached only through the Documents target.
#ifndef CUSTOMSHUB_CDOCUMENTLIBRARIES_H
#define CUSTOMSHUB_CDOCUMENTLIBRARIES_H
#include <stddef.h>
#include <stdint.h>
// zlib is linked as usual (libxml2 loads it anyway): PDFGuard measures compressed streams with it.
#include <zlib.h>

/// Tesseract's TessCancelFunc: asked between words whether to stop the recognition.
typedef _Bool (*HubCancelFunc)(void *_Nullable cancelThis, int words);

typedef struct _GBytes GBytes;
typedef struct _PopplerDocument PopplerDocument;
typedef struct _PopplerPage PopplerPage;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _cairo cairo_t;
/// GLib's GError: domain (a GQuark), code, message.
typedef struct { uint32_t domain; int code; char *_Nullable message; } HubGError;
/// poppler's PopplerRectangle: a glyph's box in points.
typedef struct { double x1, y1, x2, y2; } HubPopplerRectangle;

/// GLib's GList node.
typedef struct HubGList { void *_Nullable data; struct HubGList *_Nullable next; struct HubGList *_Nullable prev; } HubGList;
/// poppler's PopplerImageMapping: where on the page (in points) an image is drawn, and its id on the page.
typedef struct { HubPopplerRectangle area; int image_id; } HubPopplerImageMapping;

/// PopplerError's POPPLER_ERROR_ENCRYPTED and cairo_format_t's CAIRO_FORMAT_RGB24.
enum { HUB_POPPLER_ERROR_ENCRYPTED = 1, HUB_CAIRO_FORMAT_RGB24 = 1 };

/// The poppler-glib, GLib/GObject and cairo functions PopplerReader calls.
typedef struct {
    GBytes *_Nullable (*_Nonnull g_bytes_new)(const void *_Nullable data, size_t size);
    void (*_Nonnull g_bytes_unref)(GBytes *_Nonnull bytes);
    void (*_Nonnull g_error_free)(HubGError *_Nonnull error);
    void (*_Nonnull g_object_unref)(void *_Nonnull object);
    void (*_Nonnull g_free)(void *_Nullable memory);
    PopplerDocument *_Nullable (*_Nonnull poppler_document_new_from_bytes)(GBytes *_Nonnull bytes, const char *_Nullable password,
                                                                           HubGError *_Nullable *_Nullable error);
    int (*_Nonnull poppler_document_get_n_pages)(PopplerDocument *_Nonnull document);
    PopplerPage *_Nullable (*_Nonnull poppler_document_get_page)(PopplerDocument *_Nonnull document, int index);
    void (*_Nonnull poppler_page_get_size)(PopplerPage *_Nonnull page, double *_Nullable width, double *_Nullable height);
    char *_Nullable (*_Nonnull poppler_page_get_text)(PopplerPage *_Nonnull page);
    int (*_Nonnull poppler_page_get_text_layout)(PopplerPage *_Nonnull page, HubPopplerRectangle *_Nullable *_Nullable rectangles,
                                                 unsigned *_Nonnull count);
    void (*_Nonnull poppler_page_render)(PopplerPage *_Nonnull page, cairo_t *_Nonnull cairo);
    HubGList *_Nullable (*_Nonnull poppler_page_get_image_mapping)(PopplerPage *_Nonnull page);
    void (*_Nonnull poppler_page_free_image_mapping)(HubGList *_Nullable list);
    cairo_surface_t *_Nullable (*_Nonnull poppler_page_get_image)(PopplerPage *_Nonnull page, int image_id);
    int (*_Nonnull cairo_image_surface_get_width)(cairo_surface_t *_Nonnull surface);
    cairo_surface_t *_Nullable (*_Nonnull cairo_image_surface_create)(int format, int width, int height);
    void (*_Nonnull cairo_surface_destroy)(cairo_surface_t *_Nonnull surface);
    void (*_Nonnull cairo_surface_flush)(cairo_surface_t *_Nonnull surface);
    unsigned char *_Nullable (*_Nonnull cairo_image_surface_get_data)(cairo_surface_t *_Nonnull surface);
    int (*_Nonnull cairo_image_surface_get_stride)(cairo_surface_t *_Nonnull surface);
    cairo_t *_Nullable (*_Nonnull cairo_create)(cairo_surface_t *_Nonnull target);
    void (*_Nonnull cairo_destroy)(cairo_t *_Nonnull cairo);
    void (*_Nonnull cairo_set_source_rgb)(cairo_t *_Nonnull cairo, double red, double green, double blue);
    void (*_Nonnull cairo_paint)(cairo_t *_Nonnull cairo);
    void (*_Nonnull cairo_scale)(cairo_t *_Nonnull cairo, double sx, double sy);
} HubPoppler;

typedef struct TessBaseAPI TessBaseAPI;
typedef struct ETEXT_DESC ETEXT_DESC;
typedef struct TessResultIterator TessResultIterator;
typedef struct TessPageIterator TessPageIterator;
typedef struct Pix PIX;

/// Tesseract's enums are passed as unsigned int, their type in C. TessPageSegMode's PSM_AUTO and PSM_SINGLE_LINE,
/// TessPageIteratorLevel's RIL_WORD, Leptonica's L_SEVERITY_NONE.
enum { HUB_PSM_AUTO = 3, HUB_PSM_SINGLE_LINE = 7, HUB_RIL_WORD = 3, HUB_L_SEVERITY_NONE = 6 };

/// The Tesseract C API and Leptonica functions TesseractOCR and ImageReader call.
typedef struct {
    int32_t (*_Nonnull setMsgSeverity)(int32_t severity);
    PIX *_Nullable (*_Nonnull pixCreate)(int32_t width, int32_t height, int32_t depth);
    void (*_Nonnull pixDestroy)(PIX *_Nullable *_Nonnull pix);
    int32_t (*_Nonnull pixReadHeaderMem)(const uint8_t *_Nullable data, size_t size, int32_t *_Nullable format, int32_t *_Nullable width,
                                         int32_t *_Nullable height, int32_t *_Nullable bps, int32_t *_Nullable spp, int32_t *_Nullable iscmap);
    PIX *_Nullable (*_Nonnull pixReadMem)(const uint8_t *_Nullable data, size_t size);
    int32_t (*_Nonnull pixGetWidth)(const PIX *_Nonnull pix);
    int32_t (*_Nonnull pixGetHeight)(const PIX *_Nonnull pix);
    int32_t (*_Nonnull pixGetXRes)(const PIX *_Nonnull pix);
    int32_t (*_Nonnull pixGetWpl)(const PIX *_Nonnull pix);
    uint32_t *_Nullable (*_Nonnull pixGetData)(PIX *_Nonnull pix);
    int32_t (*_Nonnull pixSetResolution)(PIX *_Nonnull pix, int32_t xres, int32_t yres);
    PIX *_Nullable (*_Nonnull pixConvertTo8)(PIX *_Nonnull pix, int32_t cmapflag);
    PIX *_Nullable (*_Nonnull pixScaleGrayLI)(PIX *_Nonnull pix, float scalex, float scaley);
    PIX *_Nullable (*_Nonnull pixDeskew)(PIX *_Nonnull pix, int32_t redsearch);
    PIX *_Nullable (*_Nonnull pixMedianFilter)(PIX *_Nonnull pix, int32_t width, int32_t height);

    TessBaseAPI *_Nullable (*_Nonnull TessBaseAPICreate)(void);
    void (*_Nonnull TessBaseAPIDelete)(TessBaseAPI *_Nonnull api);
    void (*_Nonnull TessBaseAPIEnd)(TessBaseAPI *_Nonnull api);
    int (*_Nonnull TessBaseAPISetVariable)(TessBaseAPI *_Nonnull api, const char *_Nonnull name, const char *_Nonnull value);
    int (*_Nonnull TessBaseAPIInit3)(TessBaseAPI *_Nonnull api, const char *_Nullable datapath, const char *_Nullable language);
    void (*_Nonnull TessBaseAPISetPageSegMode)(TessBaseAPI *_Nonnull api, unsigned mode);
    void (*_Nonnull TessBaseAPISetImage2)(TessBaseAPI *_Nonnull api, PIX *_Nonnull pix);
    void (*_Nonnull TessBaseAPISetSourceResolution)(TessBaseAPI *_Nonnull api, int ppi);
    int (*_Nonnull TessBaseAPIRecognize)(TessBaseAPI *_Nonnull api, ETEXT_DESC *_Nullable monitor);
    void (*_Nonnull TessBaseAPIClear)(TessBaseAPI *_Nonnull api);
    TessResultIterator *_Nullable (*_Nonnull TessBaseAPIGetIterator)(TessBaseAPI *_Nonnull api);
    ETEXT_DESC *_Nullable (*_Nonnull TessMonitorCreate)(void);
    void (*_Nonnull TessMonitorDelete)(ETEXT_DESC *_Nonnull monitor);
    void (*_Nonnull TessMonitorSetCancelFunc)(ETEXT_DESC *_Nonnull monitor, HubCancelFunc _Nullable cancel);
    void (*_Nonnull TessMonitorSetCancelThis)(ETEXT_DESC *_Nonnull monitor, void *_Nullable cancelThis);
    void (*_Nonnull TessResultIteratorDelete)(TessResultIterator *_Nonnull iterator);
    int (*_Nonnull TessResultIteratorNext)(TessResultIterator *_Nonnull iterator, unsigned level);
    TessPageIterator *_Nullable (*_Nonnull TessResultIteratorGetPageIterator)(TessResultIterator *_Nonnull iterator);
    char *_Nullable (*_Nonnull TessResultIteratorGetUTF8Text)(const TessResultIterator *_Nonnull iterator, unsigned level);
    float (*_Nonnull TessResultIteratorConfidence)(const TessResultIterator *_Nonnull iterator, unsigned level);
    int (*_Nonnull TessPageIteratorBoundingBox)(const TessPageIterator *_Nullable iterator, unsigned level, int *_Nonnull left, int *_Nonnull top,
                                                int *_Nonnull right, int *_Nonnull bottom);
    void (*_Nonnull TessDeleteText)(const char *_Nullable text);
} HubTesseract;

/// Opens the first of `names` (a NULL-terminated list of sonames or paths) that loads, and resolves
/// every function of `HubPoppler` in it and the libraries it depends on (GLib, GObject, cairo). The
/// functions (allocated once, never freed), or NULL with `error` saying which library or function
/// was missing and why.
HubPoppler *_Nullable hub_poppler_load(const char *_Nullable const *_Nonnull names, char *_Nonnull error, size_t size);

/// The same for Leptonica (opened first: images are decoded with it) and Tesseract; `failed` is -1
/// when Leptonica could not be loaded, -2 when Tesseract could not.
HubTesseract *_Nullable hub_tesseract_load(const char *_Nullable const *_Nonnull leptonica, const char *_Nullable const *_Nonnull tesseract,
                                           int *_Nonnull failed, char *_Nonnull error, size_t size);
/// CPU time the calling thread has used, in nanoseconds: OCR budgets count work done, not time
/// waited for a core on a loaded machine.
int64_t hub_thread_cpu_nanoseconds(void);
/// A HubCancelFunc that stops a recognition once the calling thread's CPU time reaches the
/// int64_t nanoseconds `stopAt` points to.
_Bool hub_thread_cpu_reached(void *_Nullable stopAt, int words);

#endif
