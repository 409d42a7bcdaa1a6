package io.rapace.samples.pluginapi;

import io.rapace.annotation.Unsigned;

/** One laid-out line of a page, numbered from 1. */
public record Line(@Unsigned int number, String text) {
}
