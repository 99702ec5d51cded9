#ifndef CNGHTTP3_SHIM_H
#define CNGHTTP3_SHIM_H
#include <nghttp3/nghttp3.h>
#endif
