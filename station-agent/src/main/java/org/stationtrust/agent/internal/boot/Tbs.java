package org.stationtrust.agent.internal.boot;

/**
 * The one TBS call the agent needs (Windows SDK tbs.h): {@code TBS_RESULT Tbsi_Get_TCG_Log_Ex(UINT32 logType,
 * PBYTE pbOutput, PUINT32 pcbOutput)}. An interface so that {@link TbsEventLog} is tested with a fake where no
 * Windows machine exists; {@link JnaTbs} is the real one.
 */
public interface Tbs {
    /** TBS_TCGLOG_SRTM_CURRENT: the log of the current boot. */
    int SRTM_CURRENT = 0;
    int SUCCESS = 0;

    /**
     * @param output the buffer, or null to ask for the size
     * @param size in: the buffer's size; out: the bytes written (or needed)
     * @return a TBS_RESULT
     */
    int getTcgLogEx(int logType, byte[] output, int[] size);
}
