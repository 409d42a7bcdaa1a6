package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SessionConfig;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The call contract across two JVMs with frame checksums offered by both sides (the system property, as a plugin host
 * passes it to its plugins), so that every frame carries a CRC32C its reader verifies: nothing of the contract changes
 * (the jdk backend, handlers on the default executor).
 */
class ChecksumSessionCallContractProcessTest extends JdkSessionCallContractProcessTest {
    @Override
    List<String> childJvmOptions() {
        return List.of("-D" + SessionConfig.FRAME_CHECKSUMS_PROPERTY + "=true");
    }

    @BeforeAll
    void offerChecksums() {
        System.setProperty(SessionConfig.FRAME_CHECKSUMS_PROPERTY, "true");
    }

    @AfterAll
    void stopOffering() {
        System.clearProperty(SessionConfig.FRAME_CHECKSUMS_PROPERTY);
    }

    @Test
    void bothSidesOfferedChecksumsSoEveryFrameCarriesOne() throws Exception {
        assertTrue(((RpcSession) shared().channel()).frameChecksums());
    }
}
