package org.eemqtt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void cpuTicksAreUtimePlusStimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (we ird) (name) S 1 4242 4242 0 -1 4194560 9731 0 0 0 1234 567 0 0 20 0 35 0 "
                + "1000 5000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcStats.cpuTicks(stat)).isEqualTo(1234 + 567);
        assertThat(ProcStats.cpuTicksSplit(stat)).containsExactly(1234L, 567L);
    }

    @Test
    void rejectsTextThatIsNoStatLine() {
        assertThatThrownBy(() -> ProcStats.cpuTicks("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsVmRss() {
        String status = "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 100 kB\n";
        assertThat(ProcStats.rssKb(status)).isEqualTo(123456);
        assertThat(ProcStats.rssKb("Name:\tkthreadd\n")).isEqualTo(-1);
    }

    @Test
    void readsUsedHeapFromJcmdHeapInfo() {
        String g1 = "12345:\n garbage-first heap   total 1048576K, used 262143K [0x00000000c0000000, 0x0000000100000000)\n"
                + "  region size 1024K, 100 young (102400K), 3 survivors (3072K)\n"
                + " Metaspace       used 80000K, committed 81000K, reserved 1114112K\n";
        assertThat(ProcStats.heapUsedKb(g1)).isEqualTo(262143);
        assertThat(ProcStats.heapUsedKb("12345:\nAttachNotSupportedException")).isEqualTo(-1);
    }

    @Test
    void readsTheLiveFiguresOfThisProcess() {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcStats.cpuSeconds(pid)).isGreaterThanOrEqualTo(0);
        assertThat(ProcStats.rssKb(pid)).isPositive();
        assertThat(ProcStats.cpuSeconds(Long.MAX_VALUE)).isNaN();
    }
}
