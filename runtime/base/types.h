// Fixed-width integer types and size_t, available in every build (freestanding or hosted).
#pragma once

#include <stddef.h>
#include <stdint.h>
