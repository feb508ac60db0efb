package org.stationtrust.agent.internal.boot;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

/** {@link Tbs} through JNA on Windows (Tbs.dll). Not run here: there is no Windows machine in the build. */
final class JnaTbs implements Tbs {
    /** The Tbs.dll export, as declared in tbs.h. */
    interface TbsLibrary extends Library {
        @SuppressWarnings("checkstyle:MethodName")
        int Tbsi_Get_TCG_Log_Ex(int logType, byte[] pbOutput, IntByReference pcbOutput);
    }

    private final TbsLibrary library = Native.load("Tbs", TbsLibrary.class);

    @Override
    public int getTcgLogEx(int logType, byte[] output, int[] size) {
        IntByReference length = new IntByReference(size[0]);
        int result = library.Tbsi_Get_TCG_Log_Ex(logType, output, length);
        size[0] = length.getValue();
        return result;
    }
}
