// The parts of libxml2 the SecureXML target uses: the SAX2 push parser, the tree, XSD validation
// and the error/entity-loader hooks. Nothing else of libxml2 is reachable from Swift.
#ifndef CUSTOMSHUB_CLIBXML2_SHIM_H
#define CUSTOMSHUB_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/uri.h>
#include <libxml/xmlversion.h>
#endif
