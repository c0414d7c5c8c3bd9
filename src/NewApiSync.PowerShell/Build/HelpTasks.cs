// MSBuild inline tasks (RoslynCodeTaskFactory) that turn the Markdown help sources under docs/ into what Get-Help
// reads: MAML for the cmdlets and a plain-text about topic. The input format is documented in docs/commands/README.md.
// This file is compiled by MSBuild at build time, not into the module.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>docs/commands/*.md → one MAML file (en-US/&lt;assembly&gt;.dll-Help.xml) for every documented cmdlet.</summary>
public class GenerateMamlHelp : Task
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    [Required]
    public ITaskItem[] Sources { get; set; }

    [Required]
    public string OutputFile { get; set; }

    public override bool Execute()
    {
        var root = new XElement(Msh + "helpItems",
            new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (ITaskItem source in Sources.OrderBy(s => s.ItemSpec, StringComparer.OrdinalIgnoreCase))
        {
            string path = source.GetMetadata("FullPath");
            try
            {
                root.Add(ToMaml(CommandDoc.Parse(File.ReadAllLines(path))));
            }
            catch (FormatException ex)
            {
                Log.LogError(null, "NASHELP1", null, path, 0, 0, 0, 0, ex.Message);
            }
        }

        if (Log.HasLoggedErrors)
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(OutputFile));
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(OutputFile);
        Log.LogMessage(MessageImportance.Normal, "Help for {0} command(s) -> {1}", Sources.Length, OutputFile);
        return true;
    }

    private static XElement ToMaml(CommandDoc doc)
    {
        int dash = doc.Name.IndexOf('-');
        var command = new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", doc.Name),
                new XElement(Command + "verb", doc.Name.Substring(0, dash)),
                new XElement(Command + "noun", doc.Name.Substring(dash + 1)),
                Description(doc.Synopsis)),
            Description(doc.Description),
            new XElement(Command + "syntax", SyntaxItems(doc)),
            new XElement(Command + "parameters", doc.Parameters.Select(Parameter)),
            new XElement(Command + "inputTypes", doc.Inputs.Select(t => TypeEntry("inputType", t))),
            new XElement(Command + "returnValues", doc.Outputs.Select(t => TypeEntry("returnValue", t))));
        if (doc.Notes.Count > 0)
        {
            command.Add(new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(doc.Notes))));
        }

        command.Add(new XElement(Command + "examples", doc.Examples.Select(e => new XElement(Command + "example",
            new XElement(Maml + "title", "-------------------------- " + e.Title + " --------------------------"),
            new XElement(Dev + "code", e.Code),
            new XElement(Dev + "remarks", Paras(e.Remarks))))));
        command.Add(new XElement(Command + "relatedLinks", doc.Links.Select(l => new XElement(Maml + "navigationLink",
            new XElement(Maml + "linkText", l.Key),
            new XElement(Maml + "uri", l.Value)))));
        return command;
    }

    /// <summary>
    /// One syntax line per parameter set; parameters in "(All)" belong to every set. The sets are those named under
    /// "## SYNTAX" ("### All (Default)"), which is how a set with no parameters of its own (the bare form) gets its
    /// line, then any other set a parameter names.
    /// </summary>
    private static IEnumerable<XElement> SyntaxItems(CommandDoc doc)
    {
        List<string> sets = doc.SyntaxSets.Concat(doc.Parameters.SelectMany(p => p.Sets)).Where(s => s != "(All)").Distinct().ToList();
        if (sets.Count == 0)
        {
            sets.Add("(All)");
        }

        return sets.Select(set => new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", doc.Name),
            doc.Parameters.Where(p => p.Sets.Contains("(All)") || p.Sets.Contains(set)).Select(p => Parameter(p))));
    }

    private static XElement Parameter(ParameterDoc p)
    {
        bool isSwitch = p.Type == "SwitchParameter";
        var element = new XElement(Command + "parameter",
            new XAttribute("required", p.Required ? "true" : "false"),
            new XAttribute("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", p.Wildcards ? "true" : "false"),
            new XAttribute("pipelineInput", p.Pipeline == "False" ? "False" : "True (" + p.Pipeline + ")"),
            new XAttribute("position", p.Position),
            new XAttribute("aliases", p.Aliases),
            new XElement(Maml + "name", p.Name),
            Description(p.Description));
        if (!isSwitch)
        {
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.Type));
        }

        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.Type)));
        element.Add(new XElement(Dev + "defaultValue", p.Default));
        return element;
    }

    private static XElement TypeEntry(string kind, KeyValuePair<string, List<string>> type) =>
        new XElement(Command + kind,
            new XElement(Dev + "type", new XElement(Maml + "name", type.Key)),
            Description(type.Value));

    private static XElement Description(List<string> paragraphs) => new XElement(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(List<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));
}

/// <summary>docs/about_*.md → en-US/about_*.help.txt: "## HEADING" lines become headings, text is indented under them.</summary>
public class GenerateAboutTopic : Task
{
    [Required]
    public ITaskItem[] Sources { get; set; }

    [Required]
    public string OutputDirectory { get; set; }

    public override bool Execute()
    {
        Directory.CreateDirectory(OutputDirectory);
        foreach (ITaskItem source in Sources)
        {
            var text = new StringBuilder();
            bool inCode = false;
            foreach (string raw in File.ReadAllLines(source.GetMetadata("FullPath")))
            {
                string line = raw.TrimEnd();
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    inCode = !inCode;
                    continue;
                }

                if (inCode)
                {
                    text.AppendLine(line.Length == 0 ? string.Empty : "        " + line);
                }
                else if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    text.AppendLine("TOPIC").AppendLine("    " + line.Substring(2).Trim()).AppendLine();
                }
                else if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    text.AppendLine(line.Substring(3).Trim().ToUpperInvariant());
                }
                else if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    text.AppendLine("  " + line.Substring(4).Trim());
                }
                else
                {
                    text.AppendLine(line.Length == 0 ? string.Empty : "    " + CommandDoc.PlainText(line));
                }
            }

            string target = Path.Combine(OutputDirectory, source.GetMetadata("Filename") + ".help.txt");
            File.WriteAllText(target, text.ToString(), new UTF8Encoding(false));
            Log.LogMessage(MessageImportance.Normal, "About topic -> {0}", target);
        }

        return true;
    }
}

public sealed class ParameterDoc
{
    public string Name;
    public List<string> Description = new List<string>();
    public string Type = "Object";
    public string[] Sets = { "(All)" };
    public string Aliases = "none";
    public bool Required;
    public string Position = "named";
    public string Default = "None";
    public string Pipeline = "False";
    public bool Wildcards;
}

public sealed class ExampleDoc
{
    public string Title;
    public string Code;
    public List<string> Remarks = new List<string>();
}

/// <summary>One docs/commands/&lt;Command&gt;.md, parsed; throws FormatException naming what is missing or malformed.</summary>
public sealed class CommandDoc
{
    public string Name;
    public List<string> Synopsis = new List<string>();
    public List<string> Description = new List<string>();
    public List<ParameterDoc> Parameters = new List<ParameterDoc>();
    /// <summary>Parameter set names from the "### Name (Default)" headings under "## SYNTAX", in order.</summary>
    public List<string> SyntaxSets = new List<string>();
    public List<ExampleDoc> Examples = new List<ExampleDoc>();
    public List<KeyValuePair<string, List<string>>> Inputs = new List<KeyValuePair<string, List<string>>>();
    public List<KeyValuePair<string, List<string>>> Outputs = new List<KeyValuePair<string, List<string>>>();
    public List<string> Notes = new List<string>();
    public List<KeyValuePair<string, string>> Links = new List<KeyValuePair<string, string>>();

    private static readonly Regex MarkdownLink = new Regex(@"\[([^\]]*)\]\(([^)]*)\)");

    /// <summary>Markdown emphasis and links as Get-Help shows text: `code` kept, **bold** unwrapped, [text](url) as "text (url)".</summary>
    public static string PlainText(string line) =>
        MarkdownLink.Replace(line.Replace("**", string.Empty), m => m.Groups[2].Value.Length == 0 || m.Groups[2].Value == m.Groups[1].Value ? m.Groups[1].Value : m.Groups[1].Value + " (" + m.Groups[2].Value + ")");

    public static CommandDoc Parse(string[] lines)
    {
        var doc = new CommandDoc();
        string section = null;
        string subsection = null;
        var block = new List<string>();
        Action flush = () => { };

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd();
            if (line.StartsWith("# ", StringComparison.Ordinal) && doc.Name == null)
            {
                doc.Name = line.Substring(2).Trim();
                continue;
            }

            if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal))
            {
                doc.Close(section, subsection, block);
                block = new List<string>();
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    section = line.Substring(3).Trim().ToUpperInvariant();
                    subsection = null;
                }
                else
                {
                    subsection = line.Substring(4).Trim();
                }

                continue;
            }

            block.Add(line);
        }

        doc.Close(section, subsection, block);
        doc.Check();
        return doc;
    }

    private void Check()
    {
        if (string.IsNullOrEmpty(Name) || Name.IndexOf('-') <= 0)
        {
            throw new FormatException("The first line must be '# Verb-Noun'.");
        }

        if (Synopsis.Count == 0 || Description.Count == 0)
        {
            throw new FormatException(Name + ": '## SYNOPSIS' and '## DESCRIPTION' must both have text.");
        }

        foreach (ParameterDoc p in Parameters.Where(p => p.Description.Count == 0))
        {
            throw new FormatException(Name + ": parameter -" + p.Name + " has no description.");
        }

        foreach (ExampleDoc e in Examples.Where(e => string.IsNullOrEmpty(e.Code)))
        {
            throw new FormatException(Name + ": '" + e.Title + "' has no ```powershell code block.");
        }
    }

    /// <summary>Files one finished "## SECTION" or "### Sub" block.</summary>
    private void Close(string section, string subsection, List<string> block)
    {
        switch (section)
        {
            case null:
                return;
            case "SYNTAX": // the lines are generated from the parameters; the headings name the sets
                if (subsection != null)
                {
                    string set = subsection.EndsWith("(Default)", StringComparison.Ordinal) ? subsection.Substring(0, subsection.Length - "(Default)".Length).Trim() : subsection;
                    SyntaxSets.Add(set);
                }

                return;
            case "SYNOPSIS":
                Synopsis = Paragraphs(block);
                return;
            case "DESCRIPTION":
                Description = Paragraphs(block);
                return;
            case "NOTES":
                Notes = Paragraphs(block);
                return;
            case "PARAMETERS":
                if (subsection != null)
                {
                    Parameters.Add(ParseParameter(subsection, block));
                }

                return;
            case "EXAMPLES":
                if (subsection != null)
                {
                    Examples.Add(ParseExample(subsection, block));
                }

                return;
            case "INPUTS":
            case "OUTPUTS":
                if (subsection != null)
                {
                    (section == "INPUTS" ? Inputs : Outputs).Add(new KeyValuePair<string, List<string>>(subsection, Paragraphs(block)));
                }

                return;
            case "RELATED LINKS":
                foreach (string item in block.Where(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)))
                {
                    Match link = MarkdownLink.Match(item);
                    Links.Add(link.Success
                        ? new KeyValuePair<string, string>(link.Groups[1].Value, link.Groups[2].Value)
                        : new KeyValuePair<string, string>(item.TrimStart().Substring(2).Trim(), string.Empty));
                }

                return;
            default:
                throw new FormatException(Name + ": unknown section '## " + section + "'.");
        }
    }

    private ParameterDoc ParseParameter(string heading, List<string> block)
    {
        if (!heading.StartsWith("-", StringComparison.Ordinal))
        {
            throw new FormatException(Name + ": a parameter heading must be '### -Name', not '### " + heading + "'.");
        }

        var p = new ParameterDoc { Name = heading.Substring(1).Trim() };
        List<string> fence = Fence(block, out List<string> rest);
        if (fence == null)
        {
            throw new FormatException(Name + ": parameter -" + p.Name + " needs a ```yaml block (Type, Required, Position, ...).");
        }

        p.Description = Paragraphs(rest);
        foreach (string entry in fence.Where(l => l.Contains(':')))
        {
            int colon = entry.IndexOf(':');
            string key = entry.Substring(0, colon).Trim();
            string value = entry.Substring(colon + 1).Trim();
            switch (key)
            {
                case "Type": p.Type = value; break;
                case "Parameter Sets": p.Sets = value.Split(',').Select(s => s.Trim()).ToArray(); break;
                case "Aliases": p.Aliases = value.Length == 0 ? "none" : value; break;
                case "Required": p.Required = Flag(key, value, p.Name); break;
                case "Position": p.Position = value.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : value; break;
                case "Default value": p.Default = value; break;
                case "Accept pipeline input": p.Pipeline = value; break;
                case "Accept wildcard characters": p.Wildcards = Flag(key, value, p.Name); break;
                default: throw new FormatException(Name + ": parameter -" + p.Name + " has an unknown field '" + key + "'.");
            }
        }

        return p;
    }

    private bool Flag(string key, string value, string parameter)
    {
        bool result;
        if (!bool.TryParse(value, out result))
        {
            throw new FormatException(Name + ": parameter -" + parameter + ": '" + key + "' must be True or False, not '" + value + "'.");
        }

        return result;
    }

    private static ExampleDoc ParseExample(string title, List<string> block)
    {
        var example = new ExampleDoc { Title = title };
        List<string> rest;
        List<string> code = Fence(block, out rest);
        example.Code = code == null ? null : string.Join("\n", code);
        // Further fences (e.g. ```output) are shown verbatim among the remarks.
        var remarks = new List<string>();
        var text = new List<string>();
        List<string> more;
        while ((more = Fence(rest, out rest, text)) != null)
        {
            remarks.AddRange(Paragraphs(text));
            remarks.Add(string.Join("\n", more));
            text = new List<string>();
        }

        remarks.AddRange(Paragraphs(rest));
        example.Remarks = remarks;
        return example;
    }

    /// <summary>The first fenced block's lines (null when none); <paramref name="rest"/> is what follows it, <paramref name="before"/> what preceded it.</summary>
    private static List<string> Fence(List<string> block, out List<string> rest, List<string> before = null)
    {
        int start = block.FindIndex(l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
        if (start < 0)
        {
            rest = block;
            return null;
        }

        int end = block.FindIndex(start + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
        if (end < 0)
        {
            throw new FormatException("A ``` block is not closed.");
        }

        List<string> preceding = block.Take(start).ToList();
        if (before != null)
        {
            before.AddRange(preceding);
        }

        rest = before != null ? block.Skip(end + 1).ToList() : preceding.Concat(block.Skip(end + 1)).ToList();
        return block.Skip(start + 1).Take(end - start - 1).ToList();
    }

    /// <summary>Blank lines end a paragraph; list items ("- ") each start one; fenced blocks stay verbatim.</summary>
    private static List<string> Paragraphs(List<string> block)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        bool inCode = false;
        Action end = () =>
        {
            if (current.Count > 0)
            {
                paragraphs.Add(inCode ? string.Join("\n", current) : PlainText(string.Join(" ", current)));
                current.Clear();
            }
        };
        foreach (string raw in block)
        {
            string line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                end();
                inCode = !inCode;
                continue;
            }

            if (inCode)
            {
                current.Add("    " + line);
                continue;
            }

            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("|", StringComparison.Ordinal))
            {
                end();
            }

            if (trimmed.Length > 0)
            {
                current.Add(trimmed);
                if (trimmed.StartsWith("|", StringComparison.Ordinal))
                {
                    end();
                }
            }
        }

        end();
        return paragraphs;
    }
}
