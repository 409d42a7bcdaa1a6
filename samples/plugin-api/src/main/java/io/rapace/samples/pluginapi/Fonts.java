package io.rapace.samples.pluginapi;

import io.rapace.annotation.RapaceService;

/** The application's host service: what the host tells its renderer plugins about fonts. */
@RapaceService(name = "samples.Fonts")
public interface Fonts {

    /** The metrics of a font family; an unknown family gets the host's default font. */
    FontMetrics metrics(String family);
}
