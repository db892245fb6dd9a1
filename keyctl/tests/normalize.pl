#!/usr/bin/perl
# Replace key serial numbers (and other run-specific numbers of 5+ digits,
# such as PIDs and $TAG) with tokens numbered by first appearance, so that
# two runs of the same script compare equal when they behave the same.
# Numbers at the start of a line are right-aligned fields (%9d, %10d): the
# padding is folded into a fixed width so the serial's length does not matter.
use strict;
use warnings;
my %map;
my $n = 0;
sub tok { my $v = 0 + shift; $map{$v} //= '#' . ++$n; return $map{$v}; }
while (my $line = <STDIN>) {
    $line =~ s/\b0x([0-9a-f]{8})\b/'0x' . tok(hex($1))/ge;
    $line =~ s/^( *)(\d{5,})(?![\w])/my $t = tok($2); my $w = length($1) + length($2); $w = 10 if $w < 10; (' ' x ($w - length($t))) . $t/e;
    $line =~ s/(?<![\w#])(\d{5,})(?![\w])/tok($1)/ge;
    print $line;
}
