using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.PowerShell.Internal;
using NewApiSync.PowerShell.Completion;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>Lists the site's channels, or gets them by id; filters by name (wildcards) and status.</summary>
    [Cmdlet(VerbsCommon.Get, "NewApiChannel")]
    [OutputType(typeof(Channel))]
    public sealed class GetNewApiChannelCommand : NewApiConnectedCmdlet
    {
        /// <summary>Channel ids; history records bind by their ChannelId property.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ChannelId")]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(ChannelIdCompleter))]
        public int[]? Id { get; set; }

        /// <summary>Channel names; wildcards allowed, case-insensitive.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ChannelNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only channels with this status; Disabled matches both kinds (ManuallyDisabled and AutoDisabled).</summary>
        [Parameter]
        [ValidateSet(nameof(ChannelStatus.Enabled), DisabledStatus, nameof(ChannelStatus.ManuallyDisabled), nameof(ChannelStatus.AutoDisabled))]
        public string? Status { get; set; }

        private const string DisabledStatus = "Disabled";

        private bool Wanted(ChannelStatus status) => Status is null
            || (string.Equals(Status, DisabledStatus, StringComparison.OrdinalIgnoreCase)
                ? status is ChannelStatus.ManuallyDisabled or ChannelStatus.AutoDisabled
                : string.Equals(Status, status.ToString(), StringComparison.OrdinalIgnoreCase));

        protected override void ProcessRecord()
        {
            // A bad pattern is refused before anything is asked of the site.
            WildcardPattern[]? patterns = ErrorRecords.Patterns(this, Name, nameof(Name));
            IReadOnlyList<Channel> channels;
            try
            {
                channels = Id is { Length: > 0 } ? GetById(Id) : List();
            }
            catch (NewApiException ex)
            {
                throw Terminate(ErrorRecords.FromApi(ex, "CannotListChannels", ResolvedConnection));
            }

            var matchedNames = new HashSet<string>();
            foreach (Channel channel in channels)
            {
                if (!Wanted(channel.Status))
                {
                    continue;
                }

                if (patterns is not null)
                {
                    WildcardPattern? hit = patterns.FirstOrDefault(p => p.IsMatch(channel.Name));
                    if (hit is null)
                    {
                        continue;
                    }

                    matchedNames.Add(channel.Name);
                }

                WriteObject(channel);
            }

            // Like Get-Item: a literal name that matched nothing is an error; a wildcard that matched nothing is not.
            foreach (string name in Name ?? new string[0])
            {
                if (!WildcardPattern.ContainsWildcardCharacters(name) && !matchedNames.Contains(name, System.StringComparer.OrdinalIgnoreCase))
                {
                    WriteError(ErrorRecords.Create("CannotFindChannel", ErrorCategory.ObjectNotFound, $"No channel named '{name}' on {ResolvedConnection.BaseUrl}.", name, "List the channels with Get-NewApiChannel, or use a wildcard such as *claude*."));
                }
            }
        }

        private IReadOnlyList<Channel> List()
        {
            string? serverFilter = Status is null ? null : string.Equals(Status, nameof(ChannelStatus.Enabled), StringComparison.OrdinalIgnoreCase) ? "enabled" : "disabled";
            RunProgressWriter? progress = null;
            try
            {
                return RunOnWorker(async (log, dispatcher, ct) =>
                {
                    // A large site lists for minutes at the production rate: show the pages as they come.
                    progress = new RunProgressWriter(this, dispatcher, $"Listing the channels of {ResolvedConnection.BaseUrl}");
                    using NewApiClient client = CreateClient(log);
                    return await client.ListChannelsAsync(serverFilter, progress.ReportListing, ct).ConfigureAwait(false);
                });
            }
            finally
            {
                progress?.Complete();
            }
        }

        private IReadOnlyList<Channel> GetById(int[] ids)
        {
            var found = new List<Channel>();
            foreach (int id in ids)
            {
                try
                {
                    found.Add(RunOnWorker(async (log, ct) =>
                    {
                        using NewApiClient client = CreateClient(log);
                        return await client.GetChannelAsync(id, ct).ConfigureAwait(false);
                    }));
                }
                catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.NotFound)
                {
                    WriteError(ErrorRecords.Create("CannotFindChannel", ErrorCategory.ObjectNotFound, $"Channel {id} does not exist on {ResolvedConnection.BaseUrl}.", id, "List the channels with Get-NewApiChannel."));
                }
            }

            return found;
        }
    }
}
