#!/usr/bin/perl
# Replace key serial numbers (and other run-specific numbers of 5+ digits,
# such as PIDs and $TAG) with tokens numbered by first appearance, so that
# two runs of the same script compare equal when they behave the same.
# Numbers at the start of a line are right-aligned fields (%9d, %10d): the
# padding is folded into a fixed width so the serial's length does not matter.
#
# Serials are random in [3, 2^31): about one in 200,000 has fewer than five
# digits.  So a first pass collects the numbers that stand where keyctl
# prints or takes serials (a line of numbers: add/newring/id/rlist output;
# the first column of show/list/describe; "Joined session keyring: N";
# "Reap N"; "[N]" arguments), and those are tokens whatever their length.
# The same literal stands in both runs, so it is tokenised alike in both.
use strict;
use warnings;
my @lines = <STDIN>;
my %serial;
for (@lines) {
    if (/^\d+(?: \d+)*$/) { $serial{0 + $_} = 1 for split ' '; }
    $serial{0 + $1} = 1 if /^ *(\d+)(?::| --)/;
    $serial{0 + $1} = 1 while /(?:Joined session keyring: |Reap )(\d+)\b/g;
    if (/^\$ keyctl /) { $serial{0 + $1} = 1 while /\[(\d+)\]/g; }
}
delete $serial{$_} for 0 .. 2;    # never serials; keep rc=0, uid 0 as they are
my %map;
my $n = 0;
sub tok { my $v = 0 + shift; $map{$v} //= '#' . ++$n; return $map{$v}; }
sub is_tok { my $d = shift; return length($d) >= 5 || $serial{0 + $d}; }
for my $line (@lines) {
    $line =~ s/\b0x([0-9a-f]{8})\b/'0x' . tok(hex($1))/ge;
    $line =~ s/^( *)(\d+)(?![\w])/is_tok($2) ? do { my $t = tok($2); my $w = length($1) + length($2); $w = 10 if $w < 10; (' ' x ($w - length($t))) . $t } : "$1$2"/e;
    $line =~ s/(?<![\w#])(\d+)(?![\w])/is_tok($1) ? tok($1) : $1/ge;
    print $line;
}
