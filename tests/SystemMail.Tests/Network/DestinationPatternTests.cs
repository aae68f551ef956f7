using System.Net;

namespace SystemMail.Tests.Network;

public sealed class DestinationPatternTests
{
    [Theory]
    [InlineData("localhost:25", "localhost", 25, true)]
    [InlineData("LOCALHOST:25", "localhost.", 25, true)]
    [InlineData("localhost:25", "localhost", 587, false)]
    [InlineData("relay.internal:*", "relay.internal", 2525, true)]
    [InlineData("relay.internal:*", "other.internal", 2525, false)]
    public void MatchesName_Pattern_MatchesTheHostAsWritten(string text, string host, int port, bool expected)
    {
        Assert.True(DestinationPattern.TryParse(text, out var pattern, out _));
        Assert.Equal(expected, pattern!.MatchesName(host, port));
    }

    [Theory]
    [InlineData("127.0.0.1:*", "127.0.0.1", 25, true)]
    [InlineData("127.0.0.1:*", "127.0.0.2", 25, false)]
    [InlineData("127.0.0.0/8:25", "127.9.8.7", 25, true)]
    [InlineData("127.0.0.0/8:25", "127.9.8.7", 26, false)]
    [InlineData("10.0.0.0/8:587", "10.200.1.1", 587, true)]
    [InlineData("10.0.0.0/8:587", "11.0.0.1", 587, false)]
    [InlineData("127.0.0.1:2525", "::ffff:127.0.0.1", 2525, true)]
    [InlineData("[::1]:2525", "::1", 2525, true)]
    [InlineData("[::1]:2525", "127.0.0.1", 2525, false)]
    [InlineData("[fe80::/10]:*", "fe80::1234", 25, true)]
    [InlineData("localhost:25", "127.0.0.1", 25, false)]
    public void MatchesAddress_Pattern_MatchesTheAddressesItCovers(string text, string address, int port, bool expected)
    {
        Assert.True(DestinationPattern.TryParse(text, out var pattern, out _));
        Assert.Equal(expected, pattern!.MatchesAddress(IPAddress.Parse(address), port));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":25")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:smtp")]
    [InlineData("::1:25")]
    [InlineData("[::1:25")]
    [InlineData("[127.0.0.1]:25")]
    [InlineData("10.0.0.0/33:25")]
    [InlineData("[::1/129]:25")]
    [InlineData("999.0.0.1:25")]
    [InlineData("smtp://relay:25")]
    [InlineData("user@relay:25")]
    [InlineData("")]
    public void TryParse_NotAPattern_FailsWithTheProblem(string text)
    {
        Assert.False(DestinationPattern.TryParse(text, out var pattern, out var problem));
        Assert.Null(pattern);
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("::1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("169.254.10.1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("203.0.113.7", false)]
    [InlineData("2001:db8::25", false)]
    public void IsRestricted_Address_RefusesThisMachineLinkLocalMetadataUnspecifiedAndMulticast(string address, bool expected) =>
        Assert.Equal(expected, DestinationPolicy.IsRestricted(IPAddress.Parse(address)));

    [Theory]
    [InlineData("localhost", 25, false)]
    [InlineData("mail.localhost", 25, false)]
    [InlineData("127.0.0.1", 25, false)]
    [InlineData("[::1]", 25, false)]
    [InlineData("smtp.example.com", 25, true)]
    [InlineData("localhost", 2525, true)]
    public void AllowsUnresolved_LocalRelayAllowedOnPort2525_NamesAndAddressesOfThisMachineRefusedElsewhere(string host, int port, bool expected)
    {
        var policy = new DestinationPolicy(["localhost:2525"]);

        Assert.Equal(expected, policy.AllowsUnresolved(host, port));
    }
}
