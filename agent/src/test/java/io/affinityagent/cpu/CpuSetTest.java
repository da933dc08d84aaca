package io.affinityagent.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CpuSetTest {

    @Test
    void ofHoldsExactlyTheGivenCpusInAscendingOrder() {
        CpuSet s = CpuSet.of(5, 0, 3, 3, 64);

        assertThat(s.toArray()).containsExactly(0, 3, 5, 64);
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.contains(0)).isTrue();
        assertThat(s.contains(64)).isTrue();
        assertThat(s.contains(1)).isFalse();
        assertThat(s.contains(63)).isFalse();
        assertThat(s.contains(65)).isFalse();
        assertThat(s.contains(-1)).isFalse();
        assertThat(s.contains(100_000)).isFalse();
    }

    @Test
    void rangeIncludesBothEnds() {
        CpuSet s = CpuSet.range(62, 66);

        assertThat(s.toArray()).containsExactly(62, 63, 64, 65, 66);
        assertThat(CpuSet.range(7, 7).toArray()).containsExactly(7);
    }

    @Test
    void aReversedRangeIsRefusedNotEmpty() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CpuSet.range(5, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reversed range 5-3");
    }

    @Test
    void emptySetHasNothingAndPrintsAsEmptyString() {
        CpuSet e = CpuSet.empty();

        assertThat(e.isEmpty()).isTrue();
        assertThat(e.size()).isZero();
        assertThat(e.first()).isEqualTo(-1);
        assertThat(e.next(0)).isEqualTo(-1);
        assertThat(e.nth(0)).isEqualTo(-1);
        assertThat(e.toArray()).isEmpty();
        assertThat(e.toString()).isEmpty();
        assertThat(e.maskWordCount()).isZero();
        assertThat(CpuSet.of()).isEqualTo(e);
        assertThat(CpuSet.builder().build()).isSameAs(e);
    }

    @Test
    void nextFindsTheLowestCpuAtOrAboveAcrossWordBoundaries() {
        CpuSet s = CpuSet.of(3, 64, 200);

        assertThat(s.first()).isEqualTo(3);
        assertThat(s.next(-5)).isEqualTo(3);
        assertThat(s.next(3)).isEqualTo(3);
        assertThat(s.next(4)).isEqualTo(64);
        assertThat(s.next(65)).isEqualTo(200);
        assertThat(s.next(201)).isEqualTo(-1);
        assertThat(s.next(Integer.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void nthCountsPositionsInAscendingOrder() {
        CpuSet s = CpuSet.of(4, 5, 6, 7, 12, 13, 14, 15);

        assertThat(s.nth(0)).isEqualTo(4);
        assertThat(s.nth(3)).isEqualTo(7);
        assertThat(s.nth(4)).isEqualTo(12);
        assertThat(s.nth(7)).isEqualTo(15);
        assertThat(s.nth(8)).isEqualTo(-1);
        assertThat(s.nth(-1)).isEqualTo(-1);
    }

    @Test
    void setOperations() {
        CpuSet a = CpuSet.range(0, 7);
        CpuSet b = CpuSet.range(4, 11);

        assertThat(a.intersect(b)).isEqualTo(CpuSet.range(4, 7));
        assertThat(a.union(b)).isEqualTo(CpuSet.range(0, 11));
        assertThat(a.minus(b)).isEqualTo(CpuSet.range(0, 3));
        assertThat(b.minus(a)).isEqualTo(CpuSet.range(8, 11));
        assertThat(a.containsAll(CpuSet.of(0, 7))).isTrue();
        assertThat(a.containsAll(CpuSet.of(0, 8))).isFalse();
        assertThat(a.containsAll(CpuSet.empty())).isTrue();
        assertThat(CpuSet.empty().containsAll(a)).isFalse();
        assertThat(a.intersects(b)).isTrue();
        assertThat(a.intersects(CpuSet.of(100))).isFalse();
    }

    @Test
    void setOperationsOnSetsOfDifferentWordLengthsTrimTrailingWords() {
        CpuSet small = CpuSet.of(1);
        CpuSet big = CpuSet.of(1, 5000);

        assertThat(big.minus(CpuSet.of(5000))).isEqualTo(small);
        assertThat(big.minus(CpuSet.of(5000)).maskWordCount()).isEqualTo(1);
        assertThat(big.minus(CpuSet.of(5000)).hashCode()).isEqualTo(small.hashCode());
        assertThat(small.intersect(big)).isEqualTo(small);
        assertThat(CpuSet.of(5000).intersect(small)).isEqualTo(CpuSet.empty());
        assertThat(small.union(big)).isEqualTo(big);
        assertThat(small.minus(big)).isEqualTo(CpuSet.empty());
    }

    @Test
    void operationsDoNotChangeTheOperands() {
        CpuSet a = CpuSet.range(0, 7);
        CpuSet b = CpuSet.range(4, 11);

        a.intersect(b);
        a.union(b);
        a.minus(b);

        assertThat(a).isEqualTo(CpuSet.range(0, 7));
        assertThat(b).isEqualTo(CpuSet.range(4, 11));
    }

    @Test
    void toStringUsesTheKernelListSyntax() {
        CpuSet s = CpuSet.builder().addRange(0, 3, 1).add(8).addRange(10, 15, 1).build();

        assertThat(s.toString()).isEqualTo("0-3,8,10-15");
        assertThat(CpuSet.of(0).toString()).isEqualTo("0");
        assertThat(CpuSet.of(0, 1).toString()).isEqualTo("0-1");
        assertThat(CpuSet.of(0, 2, 4).toString()).isEqualTo("0,2,4");
        assertThat(CpuSet.range(60, 70).toString()).isEqualTo("60-70");
        assertThat(CpuSet.of(63, 64).toString()).isEqualTo("63-64");
        assertThat(CpuSet.of(8191).toString()).isEqualTo("8191");
    }

    @Test
    void builderStrideAndRemove() {
        CpuSet s = CpuSet.builder().addRange(0, 15, 4).add(100).remove(4).remove(100).remove(-1).remove(9000).build();

        assertThat(s.toArray()).containsExactly(0, 8, 12);
        assertThat(s.maskWordCount()).isEqualTo(1);
    }

    @Test
    void builderRejectsStrideBelowOne() {
        assertThatThrownBy(() -> CpuSet.builder().addRange(0, 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stride");
    }

    @Test
    void maskWordsRoundTrip() {
        CpuSet s = CpuSet.of(0, 63, 64, 130, 8191);

        long[] words = s.toMaskWords(16);
        assertThat(words).hasSize(128);
        assertThat(words[0]).isEqualTo(1L | (1L << 63));
        assertThat(words[1]).isEqualTo(1L);
        assertThat(words[2]).isEqualTo(1L << 2);
        assertThat(words[127]).isEqualTo(Long.MIN_VALUE);
        assertThat(CpuSet.fromMaskWords(words)).isEqualTo(s);
    }

    @Test
    void maskWordsArePaddedToTheMinimumAndTrimmedOnRead() {
        CpuSet s = CpuSet.of(1, 2);

        long[] words = s.toMaskWords(16);
        assertThat(words).hasSize(16);
        assertThat(words[0]).isEqualTo(0b110L);
        assertThat(words).containsOnly(0b110L, 0L);
        CpuSet back = CpuSet.fromMaskWords(words);
        assertThat(back).isEqualTo(s);
        assertThat(back.maskWordCount()).isEqualTo(1);
        assertThat(CpuSet.fromMaskWords(new long[16])).isEqualTo(CpuSet.empty());
    }

    @Test
    void fromMaskWordsCopiesItsInput() {
        long[] words = {0b11L};
        CpuSet s = CpuSet.fromMaskWords(words);

        words[0] = 0;
        assertThat(s.toArray()).containsExactly(0, 1);
        s.toMaskWords(1)[0] = 0;
        assertThat(s.toArray()).containsExactly(0, 1);
    }

    @Test
    void largestCpuIdIsAcceptedAndTheNextOneRejected() {
        assertThat(CpuSet.MAX_CPU).isEqualTo(8191);
        assertThat(CpuSet.of(8191).contains(8191)).isTrue();
        assertThat(CpuSet.range(8190, 8191).size()).isEqualTo(2);

        assertThatThrownBy(() -> CpuSet.of(8192))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8192")
                .hasMessageContaining("0-8191");
        assertThatThrownBy(() -> CpuSet.range(8000, 8192)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpuSet.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void setOf256Cpus() {
        CpuSet s = CpuSet.range(0, 255);

        assertThat(s.size()).isEqualTo(256);
        assertThat(s.maskWordCount()).isEqualTo(4);
        assertThat(s.toString()).isEqualTo("0-255");
        assertThat(s.nth(255)).isEqualTo(255);
        assertThat(s.toArray()).containsExactly(IntStream.rangeClosed(0, 255).toArray());
        assertThat(CpuSet.fromMaskWords(s.toMaskWords(0))).isEqualTo(s);
        CpuSet odd = CpuSet.builder().addRange(1, 255, 2).build();
        assertThat(odd.size()).isEqualTo(128);
        assertThat(s.minus(odd).toArray()).containsExactly(IntStream.iterate(0, i -> i <= 254, i -> i + 2).toArray());
    }

    @Test
    void setOfAll8192Cpus() {
        CpuSet all = CpuSet.range(0, CpuSet.MAX_CPU);

        assertThat(all.size()).isEqualTo(8192);
        assertThat(all.maskWordCount()).isEqualTo(128);
        assertThat(all.toString()).isEqualTo("0-8191");
        assertThat(all.first()).isEqualTo(0);
        assertThat(all.nth(8191)).isEqualTo(8191);
        assertThat(all.next(8191)).isEqualTo(8191);
        assertThat(all.toMaskWords(16)).hasSize(128).containsOnly(-1L);
        assertThat(CpuSet.fromMaskWords(all.toMaskWords(16))).isEqualTo(all);
        assertThat(all.minus(CpuSet.of(4096)).toString()).isEqualTo("0-4095,4097-8191");
        assertThat(all.containsAll(CpuSet.of(0, 4096, 8191))).isTrue();
    }

    @Test
    void equalityIsBySetContent() {
        assertThat(CpuSet.of(1, 2, 3)).isEqualTo(CpuSet.range(1, 3)).hasSameHashCodeAs(CpuSet.range(1, 3));
        assertThat(CpuSet.of(1, 2)).isNotEqualTo(CpuSet.of(1, 3));
        assertThat(CpuSet.of(1)).isNotEqualTo("1");
    }

    @Test
    void theKernelMaskIsMadeOnceAndSharedSoThatAPinAllocatesNothing() {
        CpuSet s = CpuSet.of(1, 70);
        long[] first = s.kernelMask(16);

        assertThat(first).containsExactly(s.toMaskWords(16));
        assertThat(s.kernelMask(16)).isSameAs(first);
        assertThat(s.kernelMask(1)).hasSize(2).containsExactly(s.toMaskWords(1));
    }
}
