package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.cpu.CpuSet;
import org.junit.jupiter.api.Test;

class CpuListTest {

    /** A made-up container: the process may use CPUs 4-7 and 12-15 only. */
    private static final CpuSet CONTAINER = CpuSet.builder().addRange(4, 7, 1).addRange(12, 15, 1).build();
    private static final CpuContext IN_CONTAINER = CpuContext.of(CONTAINER);
    private static final CpuContext SIXTEEN = CpuContext.of(CpuSet.range(0, 15));

    private static CpuSet resolve(String text, CpuContext context) throws CpuListException {
        return CpuList.parse(text).resolve(context);
    }

    private static String parseError(String text) {
        try {
            CpuList.parse(text);
        } catch (CpuListException e) {
            return e.getMessage();
        }
        throw new AssertionError("'" + text + "' parsed, but it should not");
    }

    @Test
    void kernelListSyntaxWithRangesSinglesAndStride() throws Exception {
        CpuList list = CpuList.parse("0-3,8,10-15:2");

        assertThat(list.resolve(SIXTEEN).toArray()).containsExactly(0, 1, 2, 3, 8, 10, 12, 14);
        assertThat(list.isAbsolute()).isTrue();
        assertThat(list.text()).isEqualTo("0-3,8,10-15:2");
        assertThat(list.toString()).isEqualTo("0-3,8,10-15:2");
    }

    @Test
    void absoluteCpusDoNotDependOnTheAllowedSet() throws Exception {
        // Dropping CPUs the process may not use is the config loader's job (with a warning).
        assertThat(resolve("0-3,8", IN_CONTAINER)).isEqualTo(CpuSet.of(0, 1, 2, 3, 8));
    }

    @Test
    void strideThatDoesNotLandOnTheEndStopsBeforeIt() throws Exception {
        assertThat(resolve("0-10:3", SIXTEEN).toArray()).containsExactly(0, 3, 6, 9);
        assertThat(resolve("5-5:4", SIXTEEN).toArray()).containsExactly(5);
    }

    @Test
    void largestCpuIdParses() throws Exception {
        assertThat(resolve("8191", SIXTEEN)).isEqualTo(CpuSet.of(8191));
        assertThat(resolve("0-8191", SIXTEEN).size()).isEqualTo(8192);
    }

    @Test
    void allIsTheAllowedSet() throws Exception {
        CpuList all = CpuList.parse("all");

        assertThat(all.isAbsolute()).isFalse();
        assertThat(all.resolve(IN_CONTAINER)).isEqualTo(CONTAINER);
        assertThat(all.resolve(SIXTEEN)).isEqualTo(CpuSet.range(0, 15));
    }

    @Test
    void exclusionsAreRemovedWhateverTheirPlace() throws Exception {
        assertThat(resolve("all,!0", SIXTEEN)).isEqualTo(CpuSet.range(1, 15));
        assertThat(resolve("!0,all", SIXTEEN)).isEqualTo(CpuSet.range(1, 15));
        assertThat(resolve("all,!4-5,!13", IN_CONTAINER).toString()).isEqualTo("6-7,12,14-15");
        assertThat(resolve("0-15,!2-14:2", SIXTEEN).toString()).isEqualTo("0-1,3,5,7,9,11,13,15");
        assertThat(resolve("0-3,!0-3", SIXTEEN)).isEqualTo(CpuSet.empty());
    }

    @Test
    void positionsCountWithinTheAllowedSet() throws Exception {
        CpuList first4 = CpuList.parse("+0-3");

        assertThat(first4.isAbsolute()).isFalse();
        assertThat(first4.resolve(IN_CONTAINER).toString()).isEqualTo("4-7");
        assertThat(resolve("+4-7", IN_CONTAINER).toString()).isEqualTo("12-15");
        assertThat(resolve("+0", IN_CONTAINER).toString()).isEqualTo("4");
        assertThat(resolve("+7", IN_CONTAINER).toString()).isEqualTo("15");
        assertThat(resolve("+0-7:2", IN_CONTAINER).toString()).isEqualTo("4,6,12,14");
        assertThat(resolve("all,!+0", IN_CONTAINER).toString()).isEqualTo("5-7,12-15");
    }

    @Test
    void positionPastTheAllowedSetIsAnErrorNamingTheSet() throws Exception {
        CpuList list = CpuList.parse("+8");

        assertThatThrownBy(() -> list.resolve(IN_CONTAINER))
                .isInstanceOf(CpuListException.class)
                .hasMessageContaining("+8")
                .hasMessageContaining("past")
                .hasMessageContaining("8 CPUs")
                .hasMessageContaining("4-7,12-15");
    }

    @Test
    void whitespaceAroundItemsAndNumbersIsIgnored() throws Exception {
        assertThat(resolve("  0 - 3 ,  8 ,\t10-15 : 2 ", SIXTEEN).toArray()).containsExactly(0, 1, 2, 3, 8, 10, 12, 14);
        assertThat(resolve("all, ! 0", SIXTEEN)).isEqualTo(CpuSet.range(1, 15));
        assertThat(CpuList.parse("  1,2  ").text()).isEqualTo("1,2");
    }

    @Test
    void emptyListIsAnError() {
        assertThat(parseError("")).contains("empty").contains("0-3");
        assertThat(parseError("   ")).contains("empty");
        assertThat(parseError(null)).contains("empty");
    }

    @Test
    void emptyItemBetweenCommasIsAnError() {
        assertThat(parseError("0,,1")).contains("empty item").contains("0,,1");
        assertThat(parseError("0, ,1")).contains("empty item");
        assertThat(parseError("0,")).contains("empty item");
        assertThat(parseError(",0")).contains("empty item");
    }

    @Test
    void reversedRangeIsAnErrorThatShowsTheRightOrder() {
        assertThat(parseError("3-1")).contains("'3-1'").contains("reversed").contains("1-3");
    }

    @Test
    void strideZeroIsAnError() {
        assertThat(parseError("0-7:0")).contains("'0-7:0'").contains("stride 0").contains("1 or more");
    }

    @Test
    void strideWithoutRangeIsAnError() {
        assertThat(parseError("3:2")).contains("'3:2'").contains("stride").contains("no range").contains("A-B:S");
    }

    @Test
    void nonNumbersAreErrorsNamingWhatWasFound() {
        assertThat(parseError("abc")).contains("unknown word 'abc'").contains("expected a CPU number");
        assertThat(parseError("1-x")).contains("expected a CPU number").contains("found 'x'");
        assertThat(parseError("0x3")).contains("found '0x3'");
        assertThat(parseError("1.5")).contains("found '1.5'");
        assertThat(parseError("1 2")).contains("found '1 2'");
        assertThat(parseError("0-7:x")).contains("expected a stride").contains("found 'x'");
        assertThat(parseError("1-2-3")).contains("found '2-3'");
        assertThat(parseError("0-")).contains("expected a CPU number").contains("found ''");
    }

    @Test
    void hugeNumbersAreErrorsNamingTheLargestCpuId() {
        assertThat(parseError("100000")).contains("100000").contains("above the largest id 8191");
        assertThat(parseError("99999999999")).contains("99999999999").contains("above the largest id 8191");
        assertThat(parseError("0-8192")).contains("8192").contains("above the largest id 8191");
        assertThat(parseError("+99999999999")).contains("above the largest id");
    }

    @Test
    void negativeNumbersAreErrorsThatSaySo() {
        assertThat(parseError("-1")).contains("'-1'").contains("negative");
        assertThat(parseError("-1-3")).contains("negative");
        assertThat(parseError("0,!-2")).contains("negative");
        assertThat(parseError("3--1")).contains("found '-1'");
    }

    @Test
    void onlyExclusionsIsAnErrorThatSuggestsAStartingSet() {
        assertThat(parseError("!0")).contains("only excludes").contains("all,!0");
        assertThat(parseError("!0-3,!8")).contains("only excludes");
    }
}
