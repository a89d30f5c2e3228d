// The parts of libxml2 the SecureXML target uses: the SAX2 push parser, the tree, XSD validation
// and the error/entity-loader hooks. Nothing else of libxml2 is reachable from Swift.
#ifndef CUSTOMSHUB_CLIBXML2_SHIM_H
#define CUSTOMSHUB_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding.h then pulls in the system ICU headers,
// whose UErrorCode clashes with Foundation's bundled ICU in any module that imports both (a cold
// build of the tests fails with "'UErrorCode' has different definitions"). We never touch the
// ICU-only fields of xmlCharEncodingHandler (only pointers to it), so we hide them from Swift.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/uri.h>
#endif
